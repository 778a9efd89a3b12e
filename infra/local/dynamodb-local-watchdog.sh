#!/bin/sh
# Runs DynamoDB Local (java "$@") and stops it when the runtime that started it goes away.
# The runtime holds our stdin open; it closes when the runtime exits for any reason, even SIGKILL,
# so no java process outlives the runtime.
java "$@" &
child=$!
stop() { kill "$child" 2>/dev/null; wait "$child" 2>/dev/null; exit 0; }
trap stop TERM INT HUP
while read -r _; do :; done
stop
