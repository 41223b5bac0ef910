#!/bin/bash
# measure.sh TOOL SCRIPT LABEL [extra run flags]: runs `TOOL run -q --no-color FLAGS SCRIPT` under
# /usr/bin/time -v and prints its peak RSS, its RSS sampled 8 s in, and its iteration count
# (LABEL.out and LABEL.err keep the outputs). Run from a copy of this folder holding users.json.
tool=$1; script=$2; label=$3; shift 3
/usr/bin/time -v "$tool" run -q --no-color "$@" "$script" > "$label.out" 2> "$label.err" &
tpid=$!
sleep 8
pid=$(pgrep -P $tpid | head -1)
rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status 2>/dev/null)
wait $tpid
peak=$(awk -F': ' '/Maximum resident/ {print $2}' "$label.err")
iters=$(grep -oE "iterations\.+: [0-9]+" "$label.out" | grep -oE "[0-9]+$")
echo "$label peak_kib=$peak rss_at_8s_kib=$rss iterations=$iters exit=$(awk -F': ' '/Exit status/ {print $2}' "$label.err")"
