# SPDX-License-Identifier: GPL-2.0
# A TCP connection (iperf3) that must survive what a test does while it runs,
# ended by the test once the action is over instead of at a length guessed in
# advance.  Source after tests/lib/ktap.sh (busywait).
#
#   tcp_start SERVER_NS SERVER_IP CLIENT_NS MAX_S JSON [iperf3 client args]
#       the server (one test, then it exits) and the client, reporting every
#       second into JSON.  MAX_S bounds the connection should the test never
#       end it.  Sets TCP_SRV, TCP_CLI.
#   tcp_alive
#       the client still runs, i.e. the connection has not ended on its own
#   tcp_stop TAIL_S
#       the connection carries TAIL_S more seconds after the action, then the
#       client gets SIGINT and writes its report.  Fails (with the reason on
#       stdout) when the client ended before, when its report holds any error
#       but the interrupt tcp_stop caused, when a whole 1 s interval carried
#       no byte, or when the intervals do not cover the connection's life.
#   tcp_kill
#       ends both ends without a verdict (for a test that already failed)

TCP_INTERRUPT="interrupt - the client has terminated"

__tcp_listening() { ip netns exec "$1" ss -ltnH "sport = :5201" | grep -q .; }
__tcp_srv_gone() { ! kill -0 "$TCP_SRV" 2>/dev/null; }

tcp_start() {
	local sns=$1 sip=$2 cns=$3 max=$4 json=$5
	shift 5
	TCP_JSON=$json
	ip netns exec "$sns" iperf3 -s -1 -p 5201 >/dev/null 2>&1 &
	TCP_SRV=$!
	busywait 10000 __tcp_listening "$sns"
	# exec: $! is iperf3 itself, so SIGINT reaches it and not a subshell
	ip netns exec "$cns" iperf3 -c "$sip" -p 5201 -t "$max" -i 1 -J \
		--connect-timeout 5000 "$@" >"$json" 2>&1 &
	TCP_CLI=$!
	TCP_T0=$SECONDS
}

tcp_alive() { kill -0 "$TCP_CLI" 2>/dev/null; }

tcp_kill() {
	kill "$TCP_CLI" "$TCP_SRV" 2>/dev/null
	wait "$TCP_CLI" "$TCP_SRV" 2>/dev/null
	return 0
}

tcp_stop() {
	local tail=$1 rc life n err
	if ! tcp_alive; then
		wait "$TCP_CLI"
		echo "the connection ended after $((SECONDS - TCP_T0)) s (exit $?): $(jq -r '.error // empty' "$TCP_JSON" 2>/dev/null)"
		tcp_kill
		return 1
	fi
	sleep "$tail"
	life=$((SECONDS - TCP_T0))
	kill -INT "$TCP_CLI"
	wait "$TCP_CLI"
	rc=$?
	# the server ends with the test it served: bounded all the same
	busywait 5000 __tcp_srv_gone || kill "$TCP_SRV" 2>/dev/null
	wait "$TCP_SRV" 2>/dev/null
	err=$(jq -r '.error // "none"' "$TCP_JSON" 2>/dev/null) || err="no JSON report"
	if [ "$err" != "$TCP_INTERRUPT" ]; then
		echo "iperf3 (exit $rc) after $life s: $err"
		return 1
	fi
	# the interval cut short by the interrupt may be empty under TCG
	n=$(jq '[.intervals[].sum | select(.seconds >= 0.5 and .bytes == 0)] | length' "$TCP_JSON")
	if [ "$n" != 0 ]; then
		echo "$n interval(s) of 1 s without a byte"
		return 1
	fi
	n=$(jq '.intervals | length' "$TCP_JSON")
	if [ "$n" -lt $((life - 3)) ]; then
		echo "$n intervals reported for a connection of $life s"
		return 1
	fi
	echo "connection of $life s, $n intervals, each with data"
}
