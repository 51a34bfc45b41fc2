#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-sanitized.sh CMD...: run CMD (a binary built with SRIOV_SANITIZE, or
# a test runner that starts such binaries) with every AddressSanitizer,
# LeakSanitizer and UndefinedBehaviorSanitizer report written to a file.
# Fails when CMD fails or when any process under it wrote a report, even
# one whose exit status nobody checked (a daemon killed by its test, a
# client whose output was ignored).
set -u
dir=$(mktemp -d /tmp/sriov-san.XXXXXX) || exit 1
# clients may run with dropped privileges (setpriv): they write here too
chmod 1777 "$dir"
export ASAN_OPTIONS="log_path=$dir/asan:detect_leaks=1:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="log_path=$dir/ubsan:print_stacktrace=1:halt_on_error=1"
"$@"
rc=$?
shopt -s nullglob
reports=("$dir"/*)
if [ ${#reports[@]} -gt 0 ]; then
	for r in "${reports[@]}"; do
		echo "==== sanitizer report ${r##*/}"
		cat "$r"
	done
	echo "run-sanitized: ${#reports[@]} sanitizer report(s) from: $*"
	rc=1
fi
rm -rf "$dir"
exit $rc
