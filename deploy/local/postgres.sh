#!/usr/bin/env bash
# A private PostgreSQL from the installed server binaries:
#   postgres.sh start|stop|status DIR PORT [DATABASE]   a server with its data in DIR/data (survives restarts)
#   postgres.sh standby DIR PORT PRIMARY_PORT            a hot standby of the primary on PRIMARY_PORT (pg_basebackup,
#                                                        streaming), made the primary's synchronous standby: from then on a
#                                                        commit on the primary returns once the standby has flushed it
#   postgres.sh promote DIR PORT                          the standby becomes a primary (the operator's part on failover)
#   postgres.sh kill DIR PORT                             SIGKILL the server (a machine lost; nothing shuts down cleanly)
# PG_OPTIONS adds server settings ("-c name=value ..."). As root, the server runs as the postgres user (initdb refuses root).
set -euo pipefail
cmd=${1:?start|stop|status|standby|promote|kill}; dir=${2:?data folder}; port=${3:?port}; db=${4:-epigrid}
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$bin/pg_ctl" ] || { echo "postgres.sh: no PostgreSQL server binaries found (set PG_BIN)" >&2; exit 1; }

as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
# The name the standby gives the primary, and the primary's synchronous_standby_names.
standby_name=${PG_STANDBY_NAME:-epigrid_standby}

run_server() {
    if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      if ! as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=${PG_MAX_CONNECTIONS:-300} ${PG_OPTIONS:-}" start >/dev/null; then
        echo "postgres.sh: PostgreSQL did not start on port $port; its log:" >&2
        tail -n 20 "$dir/postgres.log" >&2 2>/dev/null || true
        exit 1
      fi
    fi
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    if [ ! -s "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
    fi
    run_server
    if ! as_owner psql -h 127.0.0.1 -p "$port" -U postgres -tAc "select 1 from pg_database where datname='$db'" postgres | grep -q 1; then
      as_owner psql -h 127.0.0.1 -p "$port" -U postgres -qc "create database \"$db\"" postgres
    fi
    ;;
  standby)
    primary_port=${4:?primary port}
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    if [ ! -s "$dir/data/PG_VERSION" ]; then
      # A copy of the primary, then streaming from it (standby.signal and primary_conninfo written by -R).
      as_owner "$bin/pg_basebackup" -d "host=127.0.0.1 port=$primary_port user=postgres application_name=$standby_name" \
        -D "$dir/data" -X stream -R -c fast >"$dir/basebackup.log" 2>&1
      # A copy of a primary that already had a synchronous standby would wait, once promoted, for one it does not have.
      sed -i '/^synchronous_standby_names/d' "$dir/data/postgresql.auto.conf"
    fi
    run_server
    # Synchronous from here on: the primary waits for this standby's flush before a commit returns. Set after the standby
    # is streaming, not before: a primary waiting for a standby that is not there yet would hold every commit.
    for _ in $(seq 1 60); do
      [ "$(as_owner psql -h 127.0.0.1 -p "$primary_port" -U postgres -tAc "select count(*) from pg_stat_replication where application_name = '$standby_name' and state = 'streaming'" postgres)" = 1 ] && break
      sleep 0.5
    done
    as_owner psql -h 127.0.0.1 -p "$primary_port" -U postgres -qc "alter system set synchronous_standby_names = '$standby_name'" postgres
    as_owner psql -h 127.0.0.1 -p "$primary_port" -U postgres -qc "alter system set synchronous_commit = 'on'" postgres
    as_owner psql -h 127.0.0.1 -p "$primary_port" -U postgres -tAc "select pg_reload_conf()" postgres >/dev/null
    for _ in $(seq 1 60); do
      [ "$(as_owner psql -h 127.0.0.1 -p "$primary_port" -U postgres -tAc "select sync_state from pg_stat_replication where application_name = '$standby_name'" postgres)" = sync ] && exit 0
      sleep 0.5
    done
    echo "postgres.sh: the standby on port $port did not become synchronous" >&2; exit 1
    ;;
  promote)
    # The new primary runs alone (no synchronous standby of its own) until an operator attaches one, as Patroni does
    # without synchronous_mode_strict: waiting for a standby that is gone would stop every write.
    as_owner "$bin/pg_ctl" -D "$dir/data" -w -t 60 promote >/dev/null
    ;;
  kill)
    pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
    # Its backends see the postmaster gone and exit; wait until the port is free.
    for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || exit 0; sleep 0.1; done
    ;;
  stop) [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true ;;
  status) as_owner "$bin/pg_ctl" -D "$dir/data" status ;;
  *) echo "usage: postgres.sh start|stop|status|standby|promote|kill DIR PORT [DATABASE|PRIMARY_PORT]" >&2; exit 2 ;;
esac
