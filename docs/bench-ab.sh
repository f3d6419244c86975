#!/usr/bin/env bash
# A/B of one server jar: start it, warm up, then 5,000 x 100 with a 20k/s burst and the 120k/s delivery ceiling.
# Usage: bench-ab.sh <server jar> <label> <conf> [server JVM options...]
# Run it once per jar in the same session; CLIENT (default: the server jar) is the load tool used for every run.
# The conf must put the hub on 28008 and the admin port (with admin.benchTrigger) on 28009.
set -u
JAR=$1; LABEL=$2; CONF=$3; shift 3
CLIENT=${CLIENT:-$JAR}
ulimit -n 20000
java -Xmx3g "$@" -jar "$JAR" -conf "$CONF" > "server-$LABEL.log" 2>&1 &
until curl -s localhost:28009/stats 2>/dev/null | grep -q '"fake":{"pluginId"'; do sleep 0.5; done
PID=$(pgrep -f "$JAR -conf $CONF" | head -1)
B="java -Xmx3g -XX:TieredStopAtLevel=1 -jar $CLIENT bench --url ws://127.0.0.1:28008 --admin http://127.0.0.1:28009 --pid $PID"
$B --sockets 2000 --addresses 100 > "$LABEL-warmup.txt" 2>&1
$B --sockets 5000 --addresses 100 --burst-rate 20000 --burst-ms 5000 > "$LABEL-5000x100.txt" 2>&1
$B --sockets 1000 --addresses 100 --burst-rate 120000 --burst-ms 4000 > "$LABEL-ceiling.txt" 2>&1
kill "$PID"; sleep 5
