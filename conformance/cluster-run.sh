#!/usr/bin/env bash
# conformance/cluster-run.sh [TEST...]: the official ably-js suite against two Herald nodes on one Redis, behind a
# round-robin TCP balancer (so a test's clients and REST calls spread over both nodes), with the cluster
# provisioner. Needs the ably-js suite runner (ABLYJS_SUITE, see conformance/known-failures.md) with its ABLYJS_GIT
# and ABLYCOMMON_GIT, redis-server, and the server jar (./herald serve builds it). Example:
#   ABLYJS_GIT=... ABLYCOMMON_GIT=... conformance/cluster-run.sh realtime/presence rest/history
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
JAR="$ROOT/herald-server/target/herald.jar"
SUITE="${ABLYJS_SUITE:-$ROOT/../shared/conformance/ablyjs-suite.sh}"
[ -f "$JAR" ] || { echo "cluster-run: build the server first (./herald serve --help builds it)" >&2; exit 2; }
free_port() { node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
LOGS="${TMPDIR:-/tmp}/herald-cluster-run"; mkdir -p "$LOGS"
REDIS=$(free_port); A=$(free_port); B=$(free_port); LB=$(free_port); PROV=$(free_port)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM
redis-server --port "$REDIS" --bind 127.0.0.1 --save '' --appendonly no > "$LOGS/redis.log" 2>&1 & pids+=($!)
for n in a:$A b:$B; do
  java -jar "$JAR" serve --engine redis --redis "redis://127.0.0.1:$REDIS" --host 127.0.0.1 --port "${n#*:}" \
    --sandbox --server-id "node-${n%%:*}" > "$LOGS/node-${n%%:*}.log" 2>&1 & pids+=($!)
done
for p in $A $B; do
  for i in $(seq 1 120); do curl -sf "http://127.0.0.1:$p/health/live" >/dev/null && break; sleep 0.5; done
done
node "$HERE/lb.js" "$LB" "$A" "$B" > "$LOGS/lb.log" 2>&1 & pids+=($!)
node "$HERE/provisioner.js" "$PROV" "$LB" "$A" "$B" > "$LOGS/provisioner.log" 2>&1 & pids+=($!)
sleep 1
echo "cluster: redis $REDIS, nodes $A $B, balancer $LB, provisioner $PROV (logs $LOGS)"
ABLY_LOCAL_SANDBOX_URL="http://127.0.0.1:$PROV" "$SUITE" localhost "$LB" "$@"
