#!/usr/bin/env bash
# Prober benchmark: probes/s one instance sustains with 1,000 concurrent silent hosts (network-namespace test
# hosts with their link down). Needs root, iproute2 and iputils-ping. Usage: prober/bench.sh [--help | options]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl prober test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
exec java -Xmx1g -cp "prober/target/test-classes:prober/target/classes:$(cat prober/target/bench-classpath.txt)" \
    io.hostwatch.prober.ProberBenchmark "$@"
