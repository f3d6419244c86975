#!/usr/bin/env bash
# Restarts a server, e.g. as `bench --reconnect-storm --restart-command '…'`:
#   SIGTERM the process whose pid is in <pidfile>, wait until it and the descendants it had have exited (at most 30 s,
#   then SIGKILL what is left of that tree), start <command…> in the background with its stdout and stderr appended to
#   <pidfile>.log, write the new pid to <pidfile> and print it as the last line of stdout (progress goes to stderr).
# Usage: restart-server.sh <pidfile> <command to start the server...>
# The command runs as given, not through a shell, so the pid is the server's own: java's for `java -jar … -conf …`.
# Exit code 1 when the new process is gone again right after its start (see the log).
set -u
if [ $# -lt 2 ]; then
  echo "usage: $0 <pidfile> <command to start the server...>" >&2
  exit 2
fi
PIDFILE=$1
shift
LOG="$PIDFILE.log"
GRACE_SECONDS=30

# A zombie (exited, not yet reaped by its parent) counts as gone.
alive() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "${state#Z}" = "$state" ]
}

descendants() {
  local child
  for child in $(pgrep -P "$1"); do
    echo "$child"
    descendants "$child"
  done
}

OLD=$(cat "$PIDFILE" 2>/dev/null || true)
if [ -n "$OLD" ] && alive "$OLD"; then
  # Taken before the SIGTERM: once the root exits, its children are re-parented and no longer found from it.
  TREE="$OLD $(descendants "$OLD" | tr '\n' ' ')"
  STARTED=$(date +%s%N)
  kill -TERM "$OLD"
  DEADLINE=$(( $(date +%s) + GRACE_SECONDS ))
  LEFT=""
  while [ "$(date +%s)" -lt "$DEADLINE" ]; do
    LEFT=""
    for pid in $TREE; do
      if alive "$pid"; then LEFT="$LEFT $pid"; fi
    done
    [ -z "$LEFT" ] && break
    sleep 0.1
  done
  if [ -n "$LEFT" ]; then
    echo "restart-server: still alive after ${GRACE_SECONDS} s:$LEFT; SIGKILL" >&2
    # shellcheck disable=SC2086
    kill -KILL $LEFT 2>/dev/null
    for _ in $(seq 50); do
      GONE=1
      for pid in $LEFT; do
        if alive "$pid"; then GONE=0; fi
      done
      [ "$GONE" = 1 ] && break
      sleep 0.1
    done
  fi
  echo "restart-server: $OLD stopped after $(( ($(date +%s%N) - STARTED) / 1000000 )) ms" >&2
else
  echo "restart-server: no running process in $PIDFILE" >&2
fi

nohup "$@" >>"$LOG" 2>&1 </dev/null &
NEW=$!
echo "$NEW" > "$PIDFILE"
sleep 0.2
if ! alive "$NEW"; then
  echo "restart-server: $* exited at once; see $LOG" >&2
  exit 1
fi
echo "restart-server: started $NEW, output in $LOG" >&2
echo "$NEW"
