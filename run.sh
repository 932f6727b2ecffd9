#!/usr/bin/env bash
# Builds and starts EpiGrid on this machine: PostgreSQL (private, unless ConnectionStrings__Marten is set),
# one silo and one web host on http://127.0.0.1:8080. Ctrl-C stops everything it started.
# ./run.sh --demo also plays a simulated outbreak against it (tools/EpiGrid.Simulator), so the map comes alive.
set -euo pipefail
cd "$(dirname "$0")"
data=$(deploy/local/data-dir.sh)
mkdir -p "$data/logs"
pg_port=${EPIGRID_PG_PORT:-55432}
urls=${EPIGRID_URLS:-http://127.0.0.1:8080}
pids=(); started_pg=""; stopping=""
demo=""; sim=""; [ "${1:-}" = "--demo" ] && demo=1

stop() {
  trap - INT TERM EXIT
  stopping=1
  echo; echo "Stopping EpiGrid..."
  [ -n "$sim" ] && kill "$sim" 2>/dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "$started_pg" ] && deploy/local/postgres.sh stop "$data/pg" "$pg_port"
  echo "Stopped."
}
trap stop INT TERM EXIT

echo "Building (Release)..."
dotnet build Silo/Silo.csproj -c Release -v q -nologo -clp:ErrorsOnly
dotnet build WebHost/WebHost.csproj -c Release -v q -nologo -clp:ErrorsOnly
[ -n "$demo" ] && dotnet build tools/EpiGrid.Simulator/EpiGrid.Simulator.csproj -c Release -v q -nologo -clp:ErrorsOnly

if [ -z "${ConnectionStrings__Marten:-}" ]; then
  echo "Starting PostgreSQL on 127.0.0.1:$pg_port (data in $data/pg)..."
  deploy/local/postgres.sh start "$data/pg" "$pg_port" epigrid
  started_pg=1
  deploy/local/db-roles.sh "$pg_port" epigrid
  # The platform runs as a role that cannot alter the schema; the silo changes the schema at start as its owner.
  export ConnectionStrings__Marten="Host=127.0.0.1;Port=$pg_port;Username=epigrid_app;Database=epigrid;Maximum Pool Size=40"
  export ConnectionStrings__MartenMigration="Host=127.0.0.1;Port=$pg_port;Username=epigrid_migrator;Database=epigrid;Maximum Pool Size=2"
fi
[ -s "$data/dev-signing-key" ] || { head -c 48 /dev/urandom | base64 -w0 >"$data/dev-signing-key"; chmod 600 "$data/dev-signing-key"; }
export Auth__SigningKey=${Auth__SigningKey:-$(cat "$data/dev-signing-key")}
# The key of the keyed identity hashes: losing it makes existing person references unmatchable, so it is kept.
[ -s "$data/identity-hash-key" ] || { head -c 48 /dev/urandom | base64 -w0 >"$data/identity-hash-key"; chmod 600 "$data/identity-hash-key"; }
export PersonalData__HashKey=${PersonalData__HashKey:-$(cat "$data/identity-hash-key")}
# The province digests' signing key (ECDSA P-256, base64 PKCS#8): the silo only, never the database (docs/audit.md).
[ -s "$data/digest-signing-key" ] || { (umask 077; openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 | openssl pkcs8 -topk8 -nocrypt -outform DER | base64 -w0 >"$data/digest-signing-key"); }
export Audit__DigestSigningKey=${Audit__DigestSigningKey:-$(cat "$data/digest-signing-key")}
export DOTNET_ENVIRONMENT=${DOTNET_ENVIRONMENT:-Development} ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}

echo "Starting the silo (log: $data/logs/silo.log)..."
dotnet Silo/bin/Release/net10.0/EpiGrid.Silo.dll >"$data/logs/silo.log" 2>&1 &
pids+=($!)
deploy/local/wait-for.sh port "${Cluster__GatewayPort:-30000}" 180

echo "Starting the web host on $urls (log: $data/logs/web.log)..."
# The web host speaks to grains only: it is not given the database credentials.
(cd WebHost/bin/Release/net10.0 && exec env -u ConnectionStrings__Marten -u ConnectionStrings__MartenMigration dotnet EpiGrid.WebHost.dll --urls "$urls") >"$data/logs/web.log" 2>&1 &
pids+=($!)
deploy/local/wait-for.sh http "${urls%%;*}/health/ready" 180

cat <<MSG

EpiGrid is running.
  API:            ${urls%%;*}/api/v1/province
  API reference:  ${urls%%;*}/scalar
  Health:         ${urls%%;*}/health/ready
  Dev token:      curl -s -X POST ${urls%%;*}/api/v1/dev/tokens -H 'content-type: application/json' -d '{"role":"admin"}'
Press Ctrl-C to stop.
MSG
if [ -n "$demo" ]; then
  echo "Demo: simulating 14 days of the February 2020 outbreak, a day every ${EPIGRID_DEMO_DAY_SECONDS:-4} s (log: $data/logs/simulator.log)..."
  dotnet tools/EpiGrid.Simulator/bin/Release/net10.0/EpiGrid.Simulator.dll --url "${urls%%;*}" \
    --day-seconds "${EPIGRID_DEMO_DAY_SECONDS:-4}" --travellers "${EPIGRID_DEMO_TRAVELLERS:-30000}" \
    > >(tee "$data/logs/simulator.log") 2>&1 &
  sim=$!
fi
wait -n "${pids[@]}" 2>/dev/null || true   # after Ctrl-C the trap has already stopped and waited for them
[ -n "$stopping" ] || echo "A process exited; see $data/logs." >&2
