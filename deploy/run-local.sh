#!/usr/bin/env bash
# hostwatch quick start: builds everything (tests skipped), then runs the local pipeline until Ctrl-C.
# Extra arguments go to the quick start (see --help).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "Building hostwatch (first run downloads dependencies from Maven Central, a few minutes) ..."
mvn -B -q install -DskipTests -Dhostwatch.packages.skip
exec java -jar deploy/quickstart/target/hostwatch-quickstart-0.1.0-SNAPSHOT.jar "$@"
