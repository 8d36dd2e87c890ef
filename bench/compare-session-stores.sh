#!/bin/sh
# Issue 18: the portal's full login at bcrypt cost 4 with Kagi's own session store against a variant
# of the same tree whose sessions are Spring Session JDBC (JdbcIndexedSessionRepository through
# Spring Boot's spring-boot-session-jdbc, its standard PostgreSQL schema as a Flyway migration).
# Both server jars are built from one commit, COMPARE_AT (default 296476f, the tree measured in
# bench/README.md: later trees' portal and console use io.kagi.session's UserSessions and
# LazySessions, which the variant step below would have to replace). Both nodes run at once on one
# database (kagi_bench_sessions, created and dropped), are warmed until steady, then measured in
# interleaved rounds: own, JDBC, own, JDBC, … (see bench/README.md, "Session store comparison").
#   bench/compare-session-stores.sh                  3 rounds each, 20-second rounds
#   bench/compare-session-stores.sh --rounds=4 --login-seconds=30
# Any RunAll option may follow. SKIP_BUILD=1 reuses the jars in $WORK_DIR and bench/target.
set -eu
cd "$(dirname "$0")/.."
work=${WORK_DIR:-/tmp/kagi-session-stores}
own="$work/own"
variant="$work/jdbc"
if [ "${SKIP_BUILD:-0}" != "1" ]; then
  rm -rf "$work"
  mkdir -p "$own" "$variant"
  git archive "${COMPARE_AT:-296476f}" | tar -x -C "$own"
  git archive "${COMPARE_AT:-296476f}" | tar -x -C "$variant"
  # 1. Spring Boot's JDBC session support in place of spring-session-core and io.kagi.session.
  sed -i '/<groupId>org.springframework.session<\/groupId>/{N;s#<groupId>org.springframework.session</groupId>\(\n *\)<artifactId>spring-session-core</artifactId>#<groupId>org.springframework.boot</groupId>\1<artifactId>spring-boot-session-jdbc</artifactId>#}' \
    "$variant/server/pom.xml"
  grep -q '<artifactId>spring-boot-session-jdbc</artifactId>' "$variant/server/pom.xml" \
    || { echo "server/pom.xml no longer names spring-session-core: update $0" >&2; exit 1; }
  rm -rf "$variant/server/src/main/java/io/kagi/session" "$variant/server/src/test/java/io/kagi/session"
  # 2. Boot's defaults (flush on save, save on set-attribute, clean-up every minute); the schema from Flyway.
  printf 'spring.session.jdbc.initialize-schema=never\n' > "$variant/server/src/main/resources/application.properties"
  # 3. Spring Session JDBC's standard schema: V1 created it (V41 dropped it for io.kagi.session).
  cp "$variant/server/src/main/resources/db/migration/V1__sessions.sql" \
    "$variant/server/src/main/resources/db/migration/V9999__spring_session_jdbc.sql"
  (cd "$own" && ./mvnw -B -q -pl server -Dmaven.test.skip=true package)
  (cd "$variant" && ./mvnw -B -q -pl server -Dmaven.test.skip=true package)
  ./mvnw -B -q -Pbench -pl bench -am -DskipTests package
fi
exec java -Xmx1g -cp bench/target/kagi-bench.jar io.kagi.bench.load.RunAll --only=sessions \
  --jar="$own/server/target/kagi-server.jar" --compare-jar="$variant/server/target/kagi-server.jar" \
  --db-name=kagi_bench_sessions "$@"
