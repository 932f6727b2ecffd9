#!/usr/bin/env bash
# Benchmarks EpiGrid and, in the same run, the baselines that bound it (BENCHMARKS.md): ./bench.sh [--quick]
# Builds Release into bench/.artifacts (apart from bin/ and obj/), starts a private, throw-away PostgreSQL,
# then the real silo and web host as processes, several times. Results: bench/results/<date>.json and latest.json.
set -euo pipefail
cd "$(dirname "$0")"
pg_port=${EPIGRID_BENCH_PG_PORT:-55442}
artifacts=bench/.artifacts
pg_dir=$(mktemp -d /tmp/epigrid-bench-pg.XXXXXX)
chmod 755 "$pg_dir"
cleanup() { deploy/local/postgres.sh stop "$pg_dir" "$pg_port"; rm -rf "$pg_dir"; }
trap cleanup EXIT

# EPIGRID_BENCH_NO_BUILD=1 measures what is already built in bench/.artifacts (an A/B: build, change, measure both).
if [ "${EPIGRID_BENCH_NO_BUILD:-0}" != 1 ]; then
  echo "Building (Release)..."
  for project in Silo/Silo.csproj WebHost/WebHost.csproj bench/EpiGrid.Bench/EpiGrid.Bench.csproj; do
    dotnet build "$project" -c Release --artifacts-path "$artifacts" -v q -nologo -clp:ErrorsOnly
  done
fi
echo "Starting PostgreSQL on 127.0.0.1:$pg_port (data in $pg_dir)..."
deploy/local/postgres.sh start "$pg_dir" "$pg_port" epigrid

# 10,000 hub connections (fanout) need as many descriptors in the bench and in the web host: say so if the limit is lower.
[ "$(ulimit -n)" -ge 10500 ] || echo "bench.sh: ulimit -n is $(ulimit -n); fanout will stop at the connections it can open" >&2
# "+changes": the platform measured (what the silo and the web host are built from) differs from the commit named.
EPIGRID_BENCH_COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- Silo Grains Grains.Interfaces WebHost data Directory.Build.props Directory.Packages.props ServiceRuntime.props global.json 2>/dev/null || echo +changes)" \
dotnet "$artifacts/bin/EpiGrid.Bench/release/EpiGrid.Bench.dll" \
  --postgres "Host=127.0.0.1;Port=$pg_port;Username=postgres" --artifacts "$artifacts" --results bench/results \
  --http-port "${EPIGRID_BENCH_HTTP_PORT:-8092}" --silo-port "${EPIGRID_BENCH_SILO_PORT:-11142}" \
  --gateway-port "${EPIGRID_BENCH_GATEWAY_PORT:-30042}" "$@"
