#!/usr/bin/env bash
# The two database roles of a local PostgreSQL (postgres.sh): db-roles.sh PORT [DATABASE]
#   epigrid_migrator  owns the schema; the silo uses it only at start-up, for schema changes (ConnectionStrings__MartenMigration)
#   epigrid_app       what the platform reads and writes with (ConnectionStrings__Marten): no right to alter the schema,
#                     so it can neither disable nor drop the event chain's triggers
# Idempotent. A database from before the roles has its schema handed over to epigrid_migrator. The local server trusts
# loopback, so the roles have no password here; deployed servers give each its own (deploy/docker-compose.yml, deploy/k8s).
set -euo pipefail
port=${1:?port}; db=${2:-epigrid}
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
as_owner psql -h 127.0.0.1 -p "$port" -U postgres -d "$db" -qv ON_ERROR_STOP=1 >/dev/null <<SQL
do \$\$ begin
  if not exists (select from pg_roles where rolname = 'epigrid_migrator') then create role epigrid_migrator login; end if;
  if not exists (select from pg_roles where rolname = 'epigrid_app') then create role epigrid_app login; end if;
end \$\$;
grant connect, create on database "$db" to epigrid_migrator;
grant connect on database "$db" to epigrid_app;
do \$\$ declare r record; begin
  if exists (select from pg_namespace where nspname = 'epigrid' and nspowner <> 'epigrid_migrator'::regrole) then
    alter schema epigrid owner to epigrid_migrator;
    for r in select c.oid::regclass as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
             where n.nspname = 'epigrid' and c.relkind in ('r', 'p', 'v', 'm', 'S') loop
      execute format('alter table %s owner to epigrid_migrator', r.name);
    end loop;
    for r in select p.oid::regprocedure as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
             where n.nspname = 'epigrid' loop
      execute format('alter routine %s owner to epigrid_migrator', r.name);
    end loop;
  end if;
end \$\$;
SQL
