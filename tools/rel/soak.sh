#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make soak` (all), `make fuzz` (fuzz): the long versions, one VM each.
#   tools/rel/soak.sh [all|fuzz|cycles]   (make soak: SOAK_WHAT, default all)
#   SOAK_CYCLES (10000)  attach -> failover -> detach cycles (tests/vm/rel_soak.sh)
#   SOAK_LANES (4)       lanes cycling in parallel (partitions/VFs, both PFs,
#                        at most 7 per PF)
#   SOAK_GENL (100000) SOAK_CFG (10000) SOAK_MBX (1000000) SOAK_CTL (10000)
#                        fuzzer message counts (tests/vm/rel_fuzz.sh)
#   SOAK_SEED            fuzzer seed (default: the time)
#   SOAK_SLAB_TOL_B (100: bytes a cycle), SOAK_SETTLE (0), SOAK_CLIENT (socket)
#                        see tests/vm/rel_soak.sh
#   SOAK_MAX_S (0: none) a time-capped run, asked for: the lanes stop after
#                        SOAK_MAX_S s and the run passes with the cycles done
#                        by then; without it, fewer than SOAK_CYCLES fail
# The cycles VM's host CPU use and progress go to build/rel/soak-cycles.hostmon
# (tools/rel/hostmon.sh, a line every 30 s).
# The VM timeouts follow from the counts (measured rates under TCG, x3).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
what=${1:-${SOAK_WHAT:-all}}
cycles=${SOAK_CYCLES:-10000}
lanes=${SOAK_LANES:-4}
genl=${SOAK_GENL:-100000}
cfg=${SOAK_CFG:-10000}
mbx=${SOAK_MBX:-1000000}
ctl=${SOAK_CTL:-10000}
seed=${SOAK_SEED:-$(date +%s)}
rc=0
# ~100 genl, ~100 config proxy, ~1,000 mailbox (C fuzzer, plus up to
# 1,000 paced requests of 0.56 s), ~40 control messages per second
if [ "$what" = all ] || [ "$what" = fuzz ]; then
	"$top/tools/vm/run" --name soak-fuzz --nics 1 \
		--timeout $(( 900 + (genl / 100 + cfg / 100 + mbx / 1000 + 600 + ctl / 40) * 3 )) -- \
		"$top/tests/vm/rel_fuzz.sh" "$genl" "$cfg" "$mbx" "$seed" "$ctl" || rc=1
fi
# 0.6-1.5 cycles per second measured with 4 lanes and one vCPU (host load 3-8);
# the timeout allows 0.17
if [ "$what" = all ] || [ "$what" = cycles ]; then
	mkdir -p "$top/build/rel"
	"$top/tools/rel/hostmon.sh" soak-cycles 30 >"$top/build/rel/soak-cycles.hostmon" 2>&1 &
	mon=$!
	"$top/tools/vm/run" --name soak-cycles --nics 2 --smp 1 \
		--timeout $(( 900 + cycles * 6 )) -- \
		"$top/tests/vm/rel_soak.sh" "$cycles" "${SOAK_SLAB_TOL_B:-100}" "$lanes" \
		"${SOAK_SETTLE:-0}" "${SOAK_CLIENT:-socket}" 0 "${SOAK_MAX_S:-0}" || rc=1
	kill $mon 2>/dev/null
	wait $mon 2>/dev/null
fi
exit $rc
