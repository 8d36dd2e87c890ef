#!/usr/bin/env bash
# Kagi's database failover test (issue 22; deploy/README.md): on loopback only, it starts etcd, two
# PostgreSQL 15 instances under Patroni (synchronous replication), HAProxy in front of PostgreSQL and
# of three Kagi nodes, then drives verifications, portal logins and token issuances (each one mail)
# at a steady rate through HAProxy, kills the primary (SIGKILL: Patroni and PostgreSQL of that member)
# in the middle and lets Patroni promote the standby. The driver (bench: io.kagi.bench.load.Failover)
# records every request and asserts: no code accepted twice, no accepted verification lost, no mail
# lost or sent twice (GreenMail counts them), portal sessions survive, failed requests answered 503
# with Retry-After (never 500, never past the time-out), the rate back within a bound. Exit status 0
# only when every assertion holds. Everything is stopped and removed at the end.
#
#   deploy/failover-test.sh             the test (about 4 minutes on two cores)
#   KEEP=1 deploy/failover-test.sh      keep the work folder (logs, configuration) afterwards
#
# Needs root (apt-get, and to run PostgreSQL as the postgres user), Debian's postgresql-15; installs
# patroni, etcd-server and haproxy when missing. Ports (loopback): etcd 52379/52380, PostgreSQL
# 55432/55433, Patroni REST 58008/58009, HAProxy 55000 (PostgreSQL primary), 55080 (Kagi), 55001
# (stats), Kagi 55081-55083 (management 55091-55093), GreenMail SMTP 55025. Override the base with
# FAILOVER_PORT_BASE (default 55000; etcd and Patroni ports move with it).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
START_SECONDS=$SECONDS
BASE="${FAILOVER_PORT_BASE:-55000}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
HAPROXY_PG=$BASE
HAPROXY_STATS=$((BASE + 1))
SMTP_PORT=$((BASE + 25))
HAPROXY_KAGI=$((BASE + 80))
PG_PORTS=($((BASE + 432)) $((BASE + 433)))
REST_PORTS=($((BASE + 3008)) $((BASE + 3009)))
ETCD_CLIENT=$((BASE - 2621))
ETCD_PEER=$((BASE - 2620))
KAGI_PORTS=($((BASE + 81)) $((BASE + 82)) $((BASE + 83)))
KAGI_MGMT=($((BASE + 91)) $((BASE + 92)) $((BASE + 93)))
JAVA="${JAVA:-java}"

log() { printf '[failover %3ds] %s\n' $((SECONDS - START_SECONDS)) "$*"; }
fail() { log "FAILED: $*"; exit 1; }

# Waits (at most $1 seconds) until the command in the remaining arguments succeeds.
wait_for() {
  local limit=$1 what=$2; shift 2
  local end=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= end)); then fail "$what: not within ${limit}s"; fi
    sleep 0.5
  done
  log "$what"
}

# --- what it needs ----------------------------------------------------------------------------------
[[ $(id -u) == 0 ]] || fail "run as root (apt-get; PostgreSQL runs as the postgres user)"
[[ -x "$PG_BIN/postgres" ]] || fail "no PostgreSQL 15 at $PG_BIN (Debian: postgresql-15)"
missing=()
for package in patroni etcd-server haproxy curl; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  # Debian's packages start their services through invoke-rc.d; nothing here wants them running.
  apt-get -q update >/dev/null
  DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
for port in $HAPROXY_PG $HAPROXY_STATS $SMTP_PORT $HAPROXY_KAGI "${PG_PORTS[@]}" "${REST_PORTS[@]}" $ETCD_CLIENT $ETCD_PEER \
            "${KAGI_PORTS[@]}" "${KAGI_MGMT[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then fail "port $port on 127.0.0.1 is in use (set FAILOVER_PORT_BASE)"; fi
done
if [[ ! -f server/target/kagi-server.jar ]]; then
  log "building server/target/kagi-server.jar"
  ./mvnw -q -DskipTests package -pl server -am
fi
if [[ ! -f bench/target/kagi-bench.jar ]]; then
  log "building bench/target/kagi-bench.jar"
  ./mvnw -q -Pbench -DskipTests package -pl bench -am   # JMH may still have to come from Maven Central
fi

# --- work folder and clean-up -----------------------------------------------------------------------
WORK="$(mktemp -d /tmp/kagi-failover.XXXXXX)"
chmod 755 "$WORK"
PIDS=()
cleanup() {
  local status=$?
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for member in 1 2; do
    # PostgreSQL of a member whose Patroni was killed keeps running; stop it by its own pid file.
    if [[ -f "$WORK/pg$member/postmaster.pid" ]]; then
      kill -TERM "$(head -1 "$WORK/pg$member/postmaster.pid")" 2>/dev/null || true
    fi
  done
  local end=$((SECONDS + 20))
  for pid in "${PIDS[@]}"; do
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < end)); do sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  for member in 1 2; do
    if [[ -f "$WORK/pg$member/postmaster.pid" ]]; then
      local postmaster; postmaster="$(head -1 "$WORK/pg$member/postmaster.pid")"
      while kill -0 "$postmaster" 2>/dev/null && ((SECONDS < end)); do sleep 0.2; done
      kill -KILL "$postmaster" 2>/dev/null || true
    fi
  done
  if ((status != 0)); then
    log "logs kept in $WORK (exit status $status)"
  elif [[ "${KEEP:-0}" == 1 ]]; then
    log "work folder kept: $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log "work folder $WORK"

# --- etcd (one member here; three in production, see deploy/etcd/etcd.env) --------------------------
etcd --name etcd1 --data-dir "$WORK/etcd" \
  --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT" --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER" \
  --initial-cluster "etcd1=http://127.0.0.1:$ETCD_PEER" --initial-cluster-state new \
  --initial-cluster-token kagi-failover-test >"$WORK/etcd.log" 2>&1 &
PIDS+=($!)
wait_for 30 "etcd answers" curl -fsS "http://127.0.0.1:$ETCD_CLIENT/health"

# --- two PostgreSQL members under Patroni (the same settings as deploy/patroni/patroni.yml) ----------
# The test's timing is tighter than production's (ttl 10 s, loop_wait 2 s, retry_timeout 4 s instead of
# 30/10/10), so that the run stays short; the failure window scales with ttl + loop_wait.
for member in 1 2; do
  pg_port=${PG_PORTS[$((member - 1))]}
  rest_port=${REST_PORTS[$((member - 1))]}
  cat >"$WORK/patroni$member.yml" <<EOF
scope: kagi-failover-test
name: pg$member
restapi:
  listen: 127.0.0.1:$rest_port
  connect_address: 127.0.0.1:$rest_port
etcd3:
  hosts: 127.0.0.1:$ETCD_CLIENT
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 2
    retry_timeout: 4
    maximum_lag_on_failover: 1048576
    synchronous_mode: true
    synchronous_mode_strict: false
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        synchronous_commit: "on"
        wal_level: replica
        hot_standby: "on"
        wal_log_hints: "on"
        max_connections: 100
        max_wal_senders: 5
        max_replication_slots: 5
        shared_buffers: 64MB
        fsync: "on"
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
    - data-checksums
postgresql:
  listen: 127.0.0.1:$pg_port
  connect_address: 127.0.0.1:$pg_port
  data_dir: $WORK/pg$member
  bin_dir: $PG_BIN
  pgpass: $WORK/pgpass$member
  authentication:
    superuser:
      username: postgres
      password: failover-test-superuser
    replication:
      username: replicator
      password: failover-test-replication
    rewind:
      username: rewinder
      password: failover-test-rewind
  parameters:
    unix_socket_directories: $WORK
  pg_hba:
    - local all all trust
    - host replication replicator 127.0.0.1/32 scram-sha-256
    - host all all 127.0.0.1/32 trust
tags:
  nofailover: false
  noloadbalance: false
  clonefrom: false
  nosync: false
EOF
done
chown -R postgres:postgres "$WORK"
start_patroni() {
  runuser -u postgres -- patroni "$WORK/patroni$1.yml" >"$WORK/patroni$1.log" 2>&1 &
  PIDS+=($!)
  echo $! >"$WORK/patroni$1.pid"
  disown $!   # its SIGKILL is the test, not news
}
start_patroni 1
wait_for 90 "pg1 is the primary" curl -fsS "http://127.0.0.1:${REST_PORTS[0]}/primary"
start_patroni 2
wait_for 90 "pg2 streams from it" curl -fsS "http://127.0.0.1:${REST_PORTS[1]}/replica?lag=0"
wait_for 60 "pg2 is the synchronous standby" curl -fsS "http://127.0.0.1:${REST_PORTS[1]}/sync"

# --- HAProxy: the primary by Patroni's health check, Kagi nodes by their readiness -------------------
cat >"$WORK/haproxy.cfg" <<EOF
global
    maxconn 2000
    pidfile $WORK/haproxy.pid

defaults
    log global
    timeout connect 2s
    timeout check 2s

# PostgreSQL: only the member whose Patroni answers 200 on /primary gets connections; when it stops
# being the primary, its connections are cut at once (on-marked-down shutdown-sessions).
listen postgres_primary
    bind 127.0.0.1:$HAPROXY_PG
    mode tcp
    timeout client 30m
    timeout server 30m
    option httpchk OPTIONS /primary
    http-check expect status 200
    default-server inter 1s fastinter 500ms downinter 1s fall 2 rise 2 on-marked-down shutdown-sessions
    server pg1 127.0.0.1:${PG_PORTS[0]} maxconn 90 check port ${REST_PORTS[0]}
    server pg2 127.0.0.1:${PG_PORTS[1]} maxconn 90 check port ${REST_PORTS[1]}

listen stats
    bind 127.0.0.1:$HAPROXY_STATS
    mode http
    timeout client 10s
    timeout server 10s
    stats enable
    stats uri /

# Kagi: round-robin (sessions live in the database); a node whose readiness is down is taken out.
# When every node is out (the database itself is away), the backup lines send requests to them
# anyway, so that customers get Kagi's own 503 with Retry-After instead of HAProxy's.
frontend kagi_http
    bind 127.0.0.1:$HAPROXY_KAGI
    mode http
    timeout client 30s
    option forwardfor
    default_backend kagi

backend kagi
    mode http
    balance roundrobin
    timeout server 30s
    option httpchk GET /actuator/health/readiness
    http-check expect status 200
    option allbackups
    default-server inter 1s fastinter 500ms downinter 1s fall 2 rise 2
    server kagi1 127.0.0.1:${KAGI_PORTS[0]} check port ${KAGI_MGMT[0]}
    server kagi2 127.0.0.1:${KAGI_PORTS[1]} check port ${KAGI_MGMT[1]}
    server kagi3 127.0.0.1:${KAGI_PORTS[2]} check port ${KAGI_MGMT[2]}
    server kagi1-anyway 127.0.0.1:${KAGI_PORTS[0]} backup
    server kagi2-anyway 127.0.0.1:${KAGI_PORTS[1]} backup
    server kagi3-anyway 127.0.0.1:${KAGI_PORTS[2]} backup
EOF
haproxy -c -q -f "$WORK/haproxy.cfg" || fail "HAProxy refused its configuration"
haproxy -db -f "$WORK/haproxy.cfg" >"$WORK/haproxy.log" 2>&1 &
PIDS+=($!)
wait_for 15 "HAProxy routes to the primary" "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$HAPROXY_PG" -U postgres
runuser -u postgres -- "$PG_BIN/psql" -q -h 127.0.0.1 -p "$HAPROXY_PG" -U postgres -d postgres \
  -c "CREATE DATABASE kagi" >/dev/null

# --- the kill: SIGKILL to the primary member's Patroni and every PostgreSQL process of it -------------
cat >"$WORK/kill-primary.sh" <<EOF
#!/usr/bin/env bash
set -euo pipefail
for member in 1 2; do
  port=\$(( member == 1 ? ${REST_PORTS[0]} : ${REST_PORTS[1]} ))
  if curl -fsS -o /dev/null "http://127.0.0.1:\$port/primary"; then
    patroni_pid=\$(cat "$WORK/patroni\$member.pid")
    postmaster=\$(head -1 "$WORK/pg\$member/postmaster.pid")
    victims="\$(pgrep -P "\$patroni_pid" | tr '\n' ' ') \$patroni_pid \$postmaster \$(pgrep -P "\$postmaster" | tr '\n' ' ')"
    kill -KILL \$victims
    echo "killed pg\$member (Patroni \$patroni_pid, postmaster \$postmaster and its children) with SIGKILL"
    exit 0
  fi
done
echo "no primary found" >&2
exit 1
EOF
chmod 755 "$WORK/kill-primary.sh"

# --- three Kagi nodes (the environment of deploy/kagi/kagi.env) --------------------------------------
KEY="$(head -c 32 /dev/urandom | base64)"
NODE_PIDS=()
JDBC_URL="jdbc:postgresql://127.0.0.1:$HAPROXY_PG/kagi?targetServerType=primary&connectTimeout=3&socketTimeout=30&tcpKeepAlive=true"
for node in 1 2 3; do
  dir="$WORK/kagi$node"
  mkdir -p "$dir"
  (
    cd "$dir"
    export SPRING_PROFILES_ACTIVE=production
    export KAGI_DB_URL="$JDBC_URL" KAGI_DB_USER=postgres KAGI_DB_PASSWORD=""
    export KAGI_SMTP_HOST=127.0.0.1 KAGI_SMTP_PORT=$SMTP_PORT KAGI_SMTP_AUTH=false KAGI_SMTP_STARTTLS=false
    export KAGI_MAIL_FROM=otp@failover.invalid
    export KAGI_KEYS_RING="failover-1=$KEY" KAGI_KEYS_ACTIVE=failover-1
    export KAGI_BANK_NAME="フェイルオーバー銀行" KAGI_SUPPORT_PHONE=0120-000-000 KAGI_SUPPORT_HOURS="9:00-17:00"
    export KAGI_PUBLIC_URL="http://127.0.0.1:$HAPROXY_KAGI"
    export KAGI_BIZWEB_SERVICE_ID=12345678 KAGI_BIZWEB_SERVICE_NAME="フェイルオーバー銀行ビジネスWeb"
    export KAGI_PORT=${KAGI_PORTS[$((node - 1))]} KAGI_MANAGEMENT_PORT=${KAGI_MGMT[$((node - 1))]} KAGI_APP_PORT=0
    export KAGI_DATA_DIR="$dir" KAGI_PASSWORDS_ALGORITHM=bcrypt KAGI_PASSWORDS_BCRYPT_STRENGTH=4
    export KAGI_HTTP_THREADS=8 KAGI_DB_POOL_SIZE=6
    exec "$JAVA" -Xmx256m -XX:TieredStopAtLevel=1 -jar "$ROOT/server/target/kagi-server.jar"
  ) >"$dir/server.log" 2>&1 &
  PIDS+=($!)
  NODE_PIDS+=($!)
done
# Ready, or stopped: a node that exits during start-up fails the test at once, with its last lines.
for node in 1 2 3; do
  end=$((SECONDS + 240))
  until curl -fsS "http://127.0.0.1:${KAGI_MGMT[$((node - 1))]}/actuator/health/readiness" >/dev/null 2>&1; do
    if ! kill -0 "${NODE_PIDS[$((node - 1))]}" 2>/dev/null; then
      tail -20 "$WORK/kagi$node/server.log"
      fail "kagi$node exited during start-up"
    fi
    ((SECONDS < end)) || fail "kagi$node is not ready within 240 s"
    sleep 0.5
  done
  log "kagi$node is ready"
done

# --- the driver ----------------------------------------------------------------------------------------
log "driving load; the primary is killed in the middle"
set +e
timeout --signal=TERM --kill-after=10 300 "$JAVA" -Xmx512m -cp bench/target/kagi-bench.jar io.kagi.bench.load.Failover \
  --kagi="http://127.0.0.1:$HAPROXY_KAGI" \
  --nodes="${KAGI_PORTS[0]},${KAGI_PORTS[1]},${KAGI_PORTS[2]}" \
  --readiness="${KAGI_MGMT[0]},${KAGI_MGMT[1]},${KAGI_MGMT[2]}" \
  --db="jdbc:postgresql://127.0.0.1:$HAPROXY_PG/kagi" \
  --smtp-port="$SMTP_PORT" --key="$KEY" --key-id=failover-1 \
  --kill="$WORK/kill-primary.sh" --patroni="${REST_PORTS[0]},${REST_PORTS[1]}" \
  --out="$WORK/failover-result.json" ${FAILOVER_OPTIONS:-}
driver=$?
set -e
if [[ -f "$WORK/failover-result.json" && -d "$ROOT/deploy" ]]; then
  cp "$WORK/failover-result.json" "${FAILOVER_RESULT:-$ROOT/server/target/failover-result.json}" 2>/dev/null || true
fi
log "finished in $((SECONDS - START_SECONDS)) s"
if ((driver != 0)); then fail "the driver's assertions failed (exit $driver); logs in $WORK"; fi
log "PASSED"
