#!/usr/bin/env bash
# Builds the library and the benchmarks, then runs them; extra arguments go to JMH
# (for example: benchmarks/run.sh -p n=16 -p impl=java,vector 'conv2.*').
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests install
mvn -q -B -f benchmarks/pom.xml package
java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar "$@"
