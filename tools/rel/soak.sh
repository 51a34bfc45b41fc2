#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make soak` (all), `make fuzz` (fuzz): the long versions, one VM each.
#   tools/rel/soak.sh [all|fuzz|cycles]
#   SOAK_CYCLES (10000)  attach -> failover -> detach cycles (tests/vm/rel_soak.sh)
#   SOAK_LANES (2)       lanes cycling in parallel (partitions/VFs, both PFs)
#   SOAK_GENL (100000) SOAK_CFG (10000) SOAK_MBX (1000000) SOAK_CTL (10000)
#                        fuzzer message counts (tests/vm/rel_fuzz.sh)
#   SOAK_SEED            fuzzer seed (default: the time)
#   SOAK_SLAB_TOL_KB (4096), SOAK_SETTLE (0), SOAK_CLIENT (socket)  see tests/vm/rel_soak.sh
# The VM timeouts follow from the counts (measured rates under TCG, x3).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
what=${1:-all}
cycles=${SOAK_CYCLES:-10000}
lanes=${SOAK_LANES:-2}
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
# ~1 cycle per second over 6 lanes
if [ "$what" = all ] || [ "$what" = cycles ]; then
	"$top/tools/vm/run" --name soak-cycles --nics 2 \
		--timeout $(( 900 + cycles * 6 )) -- \
		"$top/tests/vm/rel_soak.sh" "$cycles" "${SOAK_SLAB_TOL_KB:-4096}" "$lanes" \
		"${SOAK_SETTLE:-0}" "${SOAK_CLIENT:-socket}" || rc=1
fi
exit $rc
