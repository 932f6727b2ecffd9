#!/usr/bin/env bash
# A private PostgreSQL from the installed server binaries: postgres.sh start|stop|status DIR PORT [DATABASE]
# Data lives in DIR/data and survives restarts. PG_OPTIONS adds server settings ("-c name=value ..."). As root, the server runs as the postgres user (initdb refuses root).
set -euo pipefail
cmd=${1:?start|stop|status}; dir=${2:?data folder}; port=${3:?port}; db=${4:-epigrid}
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$bin/pg_ctl" ] || { echo "postgres.sh: no PostgreSQL server binaries found (set PG_BIN)" >&2; exit 1; }

as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$cmd" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    if [ ! -s "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
    fi
    if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      if ! as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=${PG_MAX_CONNECTIONS:-300} ${PG_OPTIONS:-}" start >/dev/null; then
        echo "postgres.sh: PostgreSQL did not start on port $port; its log:" >&2
        tail -n 20 "$dir/postgres.log" >&2 2>/dev/null || true
        exit 1
      fi
    fi
    if ! as_owner psql -h 127.0.0.1 -p "$port" -U postgres -tAc "select 1 from pg_database where datname='$db'" postgres | grep -q 1; then
      as_owner psql -h 127.0.0.1 -p "$port" -U postgres -qc "create database \"$db\"" postgres
    fi
    ;;
  stop) [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true ;;
  status) as_owner "$bin/pg_ctl" -D "$dir/data" status ;;
  *) echo "usage: postgres.sh start|stop|status DIR PORT [DATABASE]" >&2; exit 2 ;;
esac
