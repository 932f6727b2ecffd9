#!/usr/bin/env bash
# A whole EpiGrid cluster on this machine, one process per role, on loopback:
#   deploy/local-cluster.sh up       Redis (installed if missing), PostgreSQL, 3 silos, 2 web hosts
#   deploy/local-cluster.sh up --tls  the same, silos and web hosts talking over mutual TLS (certificates made in the data folder)
#   deploy/local-cluster.sh up --ha   the same, PostgreSQL with a synchronous hot standby on the next port: a report answered
#                                     201 is on both; the silos follow the primary (multi-host connection strings) and read
#                                     their history from the standby. Flags combine: up --ha --tls
#   deploy/local-cluster.sh promote   the operator's part after the primary is lost: promote the standby (pg_ctl promote)
#   deploy/local-cluster.sh status   one line per process: role, name, pid, state, address
#   deploy/local-cluster.sh down     stops exactly the processes `up` started (by their recorded pids)
# Silos find each other through Redis (Orleans Redis clustering; Redis keeps an append-only file); reminders are in
# PostgreSQL with the events; the web hosts are Orleans clients sharing SignalR through the Redis backplane. Ports and the data folder can be moved with the variables below.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${EPIGRID_CLUSTER_DATA:-$(deploy/local/data-dir.sh)/cluster}
pg_port=${EPIGRID_CLUSTER_PG_PORT:-55452}
standby_port=${EPIGRID_CLUSTER_PG_STANDBY_PORT:-$((pg_port + 1))}  # with up --ha
redis_port=${EPIGRID_CLUSTER_REDIS_PORT:-56389}
silo_port=${EPIGRID_CLUSTER_SILO_PORT:-11121}        # silo i (1..3) listens on silo_port+i-1
gateway_port=${EPIGRID_CLUSTER_GATEWAY_PORT:-30011}  # and takes clients on gateway_port+i-1
metrics_port=${EPIGRID_CLUSTER_METRICS_PORT:-9465}   # its Prometheus endpoint on metrics_port+i-1
health_port=${EPIGRID_CLUSTER_HEALTH_PORT:-9475}     # its /health/live and /health/ready on health_port+i-1
web_port=${EPIGRID_CLUSTER_WEB_PORT:-8080}           # web host j (1..2) on web_port+j-1
silos=3; webs=2
cluster_id=epigrid-local-cluster
state=$data/processes                                 # "role name pid address", one line per process
export DOTNET_ENVIRONMENT=${DOTNET_ENVIRONMENT:-Development} ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}

alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
record() { echo "$1 $2 $3 $4" >>"$state"; }
pg_pid() { head -n 1 "$data/${1:-pg}/data/postmaster.pid" 2>/dev/null || true; }
redis_pid() { cat "$data/redis/redis.pid" 2>/dev/null || true; }

up() {
  local tls=0 ha=0
  for flag in "$@"; do
    case "$flag" in --tls) tls=1 ;; --ha) ha=1 ;; *) echo "up: unknown flag $flag (--tls, --ha)" >&2; exit 2 ;; esac
  done
  if [ -s "$state" ]; then
    while read -r role name pid address; do
      if alive "$pid"; then echo "Already up ($role $name, pid $pid): run '$0 down' first." >&2; exit 1; fi
    done <"$state"
    rm -f "$state"
  fi
  mkdir -p "$data/logs"
  echo "Building (Release)..."
  dotnet build Silo/Silo.csproj -c Release -v q -nologo -clp:ErrorsOnly
  dotnet build WebHost/WebHost.csproj -c Release -v q -nologo -clp:ErrorsOnly

  echo "Starting Redis on 127.0.0.1:$redis_port..."
  EPIGRID_REDIS_PERSIST=1 deploy/local/redis.sh start "$data/redis" "$redis_port"
  redis-cli -p "$redis_port" flushall >/dev/null   # no membership rows of an earlier run
  record redis redis "$(redis_pid)" "127.0.0.1:$redis_port"
  echo "Starting PostgreSQL on 127.0.0.1:$pg_port (data in $data/pg)..."
  deploy/local/postgres.sh start "$data/pg" "$pg_port" epigrid
  record postgres postgres "$(pg_pid)" "127.0.0.1:$pg_port"

  local key_file; key_file=$(dirname "$data")/dev-signing-key
  [ -s "$key_file" ] || { head -c 48 /dev/urandom | base64 -w0 >"$key_file"; chmod 600 "$key_file"; }
  export Auth__SigningKey=${Auth__SigningKey:-$(cat "$key_file")}
  # The key of the keyed identity hashes (as run.sh keeps it): without one, reports with identity numbers are refused.
  local hash_key_file; hash_key_file=$(dirname "$data")/identity-hash-key
  [ -s "$hash_key_file" ] || { head -c 48 /dev/urandom | base64 -w0 >"$hash_key_file"; chmod 600 "$hash_key_file"; }
  export PersonalData__HashKey=${PersonalData__HashKey:-$(cat "$hash_key_file")}
  # The province digests' signing key (as run.sh keeps it): the silos only, never the database (docs/audit.md).
  local digest_key_file; digest_key_file=$(dirname "$data")/digest-signing-key
  [ -s "$digest_key_file" ] || { (umask 077; openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 | openssl pkcs8 -topk8 -nocrypt -outform DER | base64 -w0 >"$digest_key_file"); }
  export Audit__DigestSigningKey=${Audit__DigestSigningKey:-$(cat "$digest_key_file")}
  deploy/local/db-roles.sh "$pg_port" epigrid
  # The platform runs as a role that cannot alter the schema; each silo changes the schema at start as its owner.
  local hosts="Host=127.0.0.1;Port=$pg_port"
  if [ $ha = 1 ]; then
    # After the roles exist, so the standby's copy has them.
    echo "Starting PostgreSQL's synchronous standby on 127.0.0.1:$standby_port (data in $data/pg-standby)..."
    deploy/local/postgres.sh standby "$data/pg-standby" "$standby_port" "$pg_port"
    record postgres postgres-standby "$(pg_pid pg-standby)" "127.0.0.1:$standby_port"
    # Both servers, and the session each pool needs: writers whichever is the primary now; the history's reads the standby.
    hosts="Host=127.0.0.1:$pg_port,127.0.0.1:$standby_port;Target Session Attributes=read-write;Host Recheck Seconds=2"
    export ConnectionStrings__MartenHistory="Host=127.0.0.1:$standby_port,127.0.0.1:$pg_port;Target Session Attributes=prefer-standby;Username=epigrid_app;Database=epigrid;Maximum Pool Size=10;Timeout=5"
  fi
  export ConnectionStrings__Marten="$hosts;Username=epigrid_app;Database=epigrid;Maximum Pool Size=30;Timeout=5"
  export ConnectionStrings__MartenMigration="$hosts;Username=epigrid_migrator;Database=epigrid;Maximum Pool Size=2;Timeout=5"
  export ConnectionStrings__Redis="127.0.0.1:$redis_port,abortConnect=false"
  export Cluster__Clustering=redis Cluster__ClusterId=$cluster_id Cluster__AdvertisedIp=127.0.0.1
  export Logging__Console__FormatterName=json Logging__Console__FormatterOptions__IncludeScopes=true
  # PostgreSQL and Redis stay without TLS: they listen on loopback only, so their traffic never leaves this machine.
  if [ $tls = 1 ]; then
    deploy/local/cluster-certs.sh "$data/tls"
    export Cluster__Tls__CertificatePath="$data/tls/node.pem" Cluster__Tls__CertificateKeyPath="$data/tls/node.key" \
      Cluster__Tls__CaCertificatePath="$data/tls/ca.pem"
  fi

  for i in $(seq 1 $silos); do
    echo "Starting silo $i (silo port $((silo_port + i - 1)), gateway $((gateway_port + i - 1)); log: $data/logs/silo$i.log)..."
    Cluster__SiloPort=$((silo_port + i - 1)) Cluster__GatewayPort=$((gateway_port + i - 1)) \
      Observability__MetricsPort=$((metrics_port + i - 1)) Observability__HealthPort=$((health_port + i - 1)) \
      nohup dotnet Silo/bin/Release/net10.0/EpiGrid.Silo.dll >"$data/logs/silo$i.log" 2>&1 &
    record silo "silo$i" $! "127.0.0.1:$((silo_port + i - 1))"
    # The first silo seeds an empty store before it opens its gateway; the others must not seed alongside it.
    [ "$i" = 1 ] && deploy/local/wait-for.sh port "$gateway_port" 240
  done
  for i in $(seq 1 $silos); do deploy/local/wait-for.sh port $((gateway_port + i - 1)) 180; done

  for j in $(seq 1 $webs); do
    local url=http://127.0.0.1:$((web_port + j - 1))
    echo "Starting web host $j on $url (log: $data/logs/web$j.log)..."
    # A web host speaks to grains only: it is not given the database credentials.
    (cd WebHost/bin/Release/net10.0 && exec env -u ConnectionStrings__Marten -u ConnectionStrings__MartenMigration -u ConnectionStrings__MartenHistory nohup dotnet EpiGrid.WebHost.dll --urls "$url") >"$data/logs/web$j.log" 2>&1 &
    record web "web$j" $! "$url"
  done
  for j in $(seq 1 $webs); do deploy/local/wait-for.sh http "http://127.0.0.1:$((web_port + j - 1))/health/ready" 180; done

  status
  cat <<MSG

EpiGrid cluster is up: web hosts http://127.0.0.1:$web_port and http://127.0.0.1:$((web_port + 1)).
  Cluster view:  TOKEN=\$(curl -s -X POST http://127.0.0.1:$web_port/api/v1/dev/tokens -H 'content-type: application/json' -d '{"role":"admin"}' | jq -r .token)
                 curl -s http://127.0.0.1:$web_port/api/v1/cluster -H "authorization: Bearer \$TOKEN"
  Metrics:       http://127.0.0.1:$web_port/metrics (web), http://127.0.0.1:$metrics_port/metrics (silo 1)
  Health:        http://127.0.0.1:$web_port/health/ready (web), http://127.0.0.1:$health_port/health/ready (silo 1)
  Dashboard:     http://127.0.0.1:$web_port/dashboard/signin?token=\$TOKEN (admin)
  Logs:          $data/logs
Stop it with: $0 down
MSG
}

down() {
  [ -s "$state" ] || { echo "Nothing recorded as started (no $state)."; return 0; }
  # Web hosts first, then silos, each given 15 s to stop cleanly; then the stores through their own tools.
  for role in web silo; do
    while read -r r name pid address; do [ "$r" = "$role" ] && alive "$pid" && kill "$pid" || true; done <"$state"
    for _ in $(seq 1 60); do
      local left=0
      while read -r r name pid address; do [ "$r" = "$role" ] && alive "$pid" && left=1; done <"$state"
      [ $left = 0 ] && break; sleep 0.25
    done
    while read -r r name pid address; do [ "$r" = "$role" ] && alive "$pid" && kill -9 "$pid" || true; done <"$state"
  done
  if grep -q '^postgres postgres-standby ' "$state"; then deploy/local/postgres.sh stop "$data/pg-standby" "$standby_port"; fi
  if grep -q '^postgres postgres ' "$state"; then deploy/local/postgres.sh stop "$data/pg" "$pg_port"; fi
  if grep -q '^redis ' "$state"; then deploy/local/redis.sh stop "$data/redis" "$redis_port"; fi
  while read -r role name pid address; do echo "stopped  $role $name (pid $pid)"; done <"$state"
  rm -f "$state"
}

status() {
  [ -s "$state" ] || { echo "Not up (no $state)."; return 0; }
  while read -r role name pid address; do
    printf '%-8s %-8s pid %-8s %-8s %s\n' "$role" "$name" "$pid" "$(alive "$pid" && echo running || echo dead)" "$address"
  done <"$state"
}

promote() {
  grep -q '^postgres postgres-standby ' "$state" 2>/dev/null || { echo "No standby recorded: start the cluster with up --ha." >&2; exit 1; }
  deploy/local/postgres.sh promote "$data/pg-standby" "$standby_port"
  echo "Promoted the standby on 127.0.0.1:$standby_port: the silos' pools find it as the read-write host within a few seconds."
  echo "It runs without a standby of its own until one is attached (docs: deploy/README.md, Failover)."
}

case "${1:-}" in
  up) shift; up "$@" ;;
  down) down ;;
  status) status ;;
  promote) promote ;;
  *) echo "usage: $0 up [--tls] [--ha]|down|status|promote" >&2; exit 2 ;;
esac
