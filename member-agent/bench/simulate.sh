#!/usr/bin/env bash
# Simulation benchmark: real broker + registry (from Maven Central, started here), the packaged agent jar with
# --simulate N in its own 64 MiB-heap JVM. Prints a results table. Options: see SimulationBenchmark's javadoc.
#   member-agent/bench/simulate.sh --hosts 1,1000,10000 --seconds 60
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f target/test-classpath.txt || ! -f target/hostwatch-member-agent-0.1.0-SNAPSHOT.jar || ! -d target/test-classes ]]; then
  (cd .. && mvn -B -q -pl member-agent package -DskipTests)
fi
exec java -Xmx512m -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  io.hostwatch.agent.bench.SimulationBenchmark "$@"
