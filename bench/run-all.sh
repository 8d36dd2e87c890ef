#!/bin/sh
# Kagi's load benchmarks in one command (see bench/README.md): builds the server jar and the bench
# jar, then runs every phase against a dedicated PostgreSQL database (kagi_bench on 127.0.0.1:5432,
# user postgres, created and dropped by the run). Results: bench/results/<date>.md and .json.
#   bench/run-all.sh            the full run (about 7 to 15 minutes)
#   bench/run-all.sh --quick    a bounded smoke run (100,000 tokens, short phases; about 4 minutes)
#   bench/run-all.sh --only=keycloak   Kagi beside Keycloak alone (issue 24; about 20 minutes)
# Further options (e.g. --only=verify,nodes,login,startup,keycloak, --tokens=N, --node-jvm="...") are listed
# in bench/README.md. Set SKIP_BUILD=1 to reuse the jars already built.
set -eu
cd "$(dirname "$0")/.."
if [ "${SKIP_BUILD:-0}" != "1" ]; then
  ./mvnw -B -q -Pbench -pl server,bench -am -DskipTests package
fi
# The Keycloak phase (issue 24): Keycloak's server distribution from Maven Central, unpacked once
# into bench/target/keycloak. In a full run and with --only=…keycloak…; KEYCLOAK=0 leaves it out.
keycloak_version=${KEYCLOAK_VERSION:-26.5.6}
case " $* " in
  *" --only="*) case " $* " in *" --only="*keycloak*) want_keycloak=1 ;; *) want_keycloak=0 ;; esac ;;
  *) want_keycloak=${KEYCLOAK:-1} ;;
esac
if [ "$want_keycloak" = "1" ]; then
  keycloak_home="bench/target/keycloak/keycloak-$keycloak_version"
  if [ ! -f "$keycloak_home/bin/kc.sh" ]; then
    ./mvnw -B -q -N dependency:unpack -Dartifact="org.keycloak:keycloak-quarkus-dist:$keycloak_version:zip" \
      -DoutputDirectory=bench/target/keycloak
  fi
  set -- --keycloak-home="$keycloak_home" "$@"
fi
exec java -Xmx1g -cp bench/target/kagi-bench.jar io.kagi.bench.load.RunAll "$@"
