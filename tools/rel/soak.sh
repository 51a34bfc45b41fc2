#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make soak`: the long versions, one VM each.
#   SOAK_CYCLES (10000)  attach -> failover -> detach cycles (tests/vm/rel_soak.sh)
#   SOAK_GENL (100000) SOAK_CFG (10000) SOAK_MBX (1000000) SOAK_CTL (10000)
#                        fuzzer message counts (tests/vm/rel_fuzz.sh)
#   SOAK_SEED            fuzzer seed (default: the time)
#   SOAK_SLAB_TOL_KB (4096), SOAK_SETTLE (1)  see tests/vm/rel_soak.sh
# The VM timeouts follow from the counts (measured rates under TCG, x3).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cycles=${SOAK_CYCLES:-10000}
genl=${SOAK_GENL:-100000}
cfg=${SOAK_CFG:-10000}
mbx=${SOAK_MBX:-1000000}
ctl=${SOAK_CTL:-10000}
seed=${SOAK_SEED:-$(date +%s)}
rc=0
# ~10 s per cycle, ~400 genl, ~300 mailbox, ~40 control messages per second
"$top/tools/vm/run" --name soak-fuzz --nics 1 \
	--timeout $(( 600 + (genl / 400 + cfg / 400 + mbx / 300 + ctl / 40) * 3 )) -- \
	"$top/tests/vm/rel_fuzz.sh" "$genl" "$cfg" "$mbx" "$seed" "$ctl" || rc=1
"$top/tools/vm/run" --name soak-cycles --nics 1 \
	--timeout $(( 600 + cycles * 30 )) -- \
	"$top/tests/vm/rel_soak.sh" "$cycles" "${SOAK_SLAB_TOL_KB:-4096}" "${SOAK_SETTLE:-1}" || rc=1
exit $rc
