#!/bin/sh
# Summarises a JFR recording's CPU samples (jdk.ExecutionSample): the top frames (the method
# running when sampled) and the first io.specwatch frame of each stack, by share of samples.
# With FILTER, only the stacks that contain it count (e.g. `Evaluator.onDocument` to look at
# evaluation alone when the recording also holds untimed decoding).
#   load-tests/scripts/jfr-top-frames.sh RECORDING.jfr [N (15)] [FILTER]
set -eu
f=$1
n=${2:-15}
filter=${3:-}
jfr print --events jdk.ExecutionSample "$f" > "$f.samples.txt"
# One line per stack: its frames joined by " <- ", top frame first.
awk '/stackTrace = \[/{inside=1; s=""; next}
     inside && /^[ \t]*\]/{inside=0; print s; next}
     inside {l=$0; sub(/^[ \t]+/, "", l); sub(/[ \t]+line:.*/, "", l); s = (s == "" ? l : s " <- " l)}' \
  "$f.samples.txt" | grep -F -- "$filter" > "$f.stacks.txt" || true
total=$(wc -l < "$f.stacks.txt")
echo "$total execution samples in $f${filter:+ with $filter on the stack}"
echo
echo "top frames:"
awk -F' <- ' '{print $1}' "$f.stacks.txt" | sort | uniq -c | sort -rn | head -n "$n" \
  | awk -v t="$total" '{c=$1; $1=""; printf "%6.1f%%  %s\n", 100*c/t, $0}'
echo
echo "first specwatch frame of each stack:"
awk -F' <- ' '{for (i = 1; i <= NF; i++) if ($i ~ /io\.specwatch/) {print $i; break}}' "$f.stacks.txt" \
  | sort | uniq -c | sort -rn | head -n "$n" \
  | awk -v t="$total" '{c=$1; $1=""; printf "%6.1f%%  %s\n", 100*c/t, $0}'
