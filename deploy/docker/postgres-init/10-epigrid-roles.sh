#!/usr/bin/env bash
# Runs once, when the postgres container initialises an empty data volume (docker-entrypoint-initdb.d).
# epigrid_migrator owns the schema and is used by the silos only at start-up for schema changes;
# epigrid_app is what the platform reads and writes with, and cannot alter the schema (nor the event chain's triggers).
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v migrator_password="$EPIGRID_MIGRATION_PASSWORD" -v app_password="$EPIGRID_APP_PASSWORD" <<'SQL'
create role epigrid_migrator login password :'migrator_password';
create role epigrid_app login password :'app_password';
grant connect, create on database epigrid to epigrid_migrator;
grant connect on database epigrid to epigrid_app;
SQL
