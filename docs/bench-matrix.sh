#!/usr/bin/env bash
# Usage: matrix.sh <conf> <label>
set -u
cd /tmp/perf
CONF=$1; LABEL=$2
ulimit -n 20000
java -Xmx3g -jar change-server.jar -conf $CONF > server-$LABEL.log 2>&1 &
until curl -s localhost:28009/stats 2>/dev/null | grep -q '"fake":{"pluginId"'; do sleep 0.5; done
PID=$(pgrep -f "change-server.jar -conf $CONF" | head -1)
B="java -Xmx3g -XX:TieredStopAtLevel=1 -jar change-server.jar bench --url ws://127.0.0.1:28008 --admin http://127.0.0.1:28009 --pid $PID"
$B --sockets 2000 --addresses 100 > $LABEL-warmup.txt 2>&1
for run in "100 100" "2000 100" "5000 100" "1000 1000"; do
  set -- $run
  $B --sockets $1 --addresses $2 --burst-rate 20000 --burst-ms 5000 > $LABEL-$1x$2.txt 2>&1
done
$B --sockets 19000 --addresses 1 --handshake-concurrency 500 > $LABEL-19000x1.txt 2>&1
kill $PID; sleep 5
