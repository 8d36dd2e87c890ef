#!/bin/sh
# Kagi's load benchmarks in one command (see bench/README.md): builds the server jar and the bench
# jar, then runs every phase against a dedicated PostgreSQL database (kagi_bench on 127.0.0.1:5432,
# user postgres, created and dropped by the run). Results: bench/results/<date>.md and .json.
#   bench/run-all.sh            the full run (about 7 to 15 minutes)
#   bench/run-all.sh --quick    a bounded smoke run (100,000 tokens, short phases; about 4 minutes)
# Further options (e.g. --only=verify,nodes,login,startup, --tokens=N, --node-jvm="...") are listed
# in bench/README.md. Set SKIP_BUILD=1 to reuse the jars already built.
set -eu
cd "$(dirname "$0")/.."
if [ "${SKIP_BUILD:-0}" != "1" ]; then
  ./mvnw -B -q -Pbench -pl server,bench -am -DskipTests package
fi
exec java -Xmx1g -cp bench/target/kagi-bench.jar io.kagi.bench.load.RunAll "$@"
