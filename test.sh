#!/usr/bin/env bash
# Runs every test. Starts what the tests need: a private, throw-away PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")"
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pg_port=${EPIGRID_TEST_PG_PORT:-55433}
while port_busy "$pg_port"; do pg_port=$((pg_port + 1)); done
pg_dir=$(mktemp -d /tmp/epigrid-test-pg.XXXXXX)
chmod 755 "$pg_dir"
cleanup() { deploy/local/postgres.sh stop "$pg_dir" "$pg_port"; rm -rf "$pg_dir"; }
trap cleanup EXIT
deploy/local/postgres.sh start "$pg_dir" "$pg_port" postgres
export EPIGRID_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"

dotnet build EpiGrid.slnx -c Release -v q -nologo -clp:ErrorsOnly
dotnet test EpiGrid.slnx -c Release --no-build --logger "console;verbosity=normal" "$@"
