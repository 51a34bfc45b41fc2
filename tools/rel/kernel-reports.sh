# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel-log patterns check-debug counts, shared by tools/rel/check-debug.sh
# (host, after each VM) and tools/rel/debug-wrap.sh (guest, after each test).
# shellcheck disable=SC2034
KASAN_RE='BUG: KASAN:'
LOCKDEP_RE='possible circular locking|possible recursive locking|inconsistent lock state|trying to register non-static key|suspicious RCU usage|BUG: sleeping function|INFO: lockdep'
