#!/usr/bin/env bash
# ICMP burst benchmark: 1,000 silent (namespace) + 1,000 live (loopback) hosts pinged at once, the old
# one-ping-process-per-probe path and fping batches side by side. Needs root, iproute2, iputils-ping and fping.
# Usage: prober/icmp-bench.sh [--help | options]
set -euo pipefail
cd "$(dirname "$0")/.."
# the reactor (-am) builds the sibling modules from this checkout; nothing is installed into ~/.m2
mvn -B -q -pl prober -am test-compile dependency:build-classpath -Dhostwatch.packages.skip -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
exec java -Xmx1g -cp "prober/target/test-classes:prober/target/classes:$(cat prober/target/bench-classpath.txt)" \
    io.hostwatch.prober.IcmpBurstBenchmark "$@"
