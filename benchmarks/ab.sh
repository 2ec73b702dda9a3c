#!/usr/bin/env bash
# Compares two builds on this noisy machine: runs PlanMinima from each benchmarks jar in turn,
# ROUNDS times, alternating, and prints each run's table rows. Build the jars first (one per
# commit: mvn install, then package benchmarks and copy benchmarks/target/benchmarks.jar aside).
#
#   benchmarks/ab.sh A.jar B.jar ROUNDS [PlanMinima options...]
#   benchmarks/ab.sh /tmp/a.jar /tmp/b.jar 3 --ops 'convnet.conv2/.*' --rounds 100
#
# Take each pass's minimum over the runs of a jar: on a shared machine other jobs only slow a run.
set -euo pipefail
[ $# -ge 3 ] || { sed -n '2,9p' "$0" >&2; exit 2; }
a=$1; b=$2; rounds=$3; shift 3
for ((i = 1; i <= rounds; i++)); do
  for jar in "$a" "$b"; do
    echo "== $jar, run $i, load $(cut -d' ' -f1 /proc/loadavg)"
    java --add-modules jdk.incubator.vector -cp "$jar" io.github.purecnn.benchmarks.plans.PlanMinima "$@" 2>/dev/null | grep '^| [a-z]'
  done
done
