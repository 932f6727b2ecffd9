#!/usr/bin/env bash
# A private Redis on loopback: redis.sh start|stop DIR PORT. Installs Debian's redis-server when it is missing.
# Throw-away by default (tests); EPIGRID_REDIS_PERSIST=1 keeps an append-only file in DIR (the local cluster).
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?folder}; port=${3:?port}
case "$cmd" in
  start)
    if ! command -v redis-server >/dev/null; then
      echo "Installing redis-server (Debian package)..."
      [ "$(id -u)" = 0 ] || { echo "redis.sh: redis-server is missing; install it (apt-get install redis-server)" >&2; exit 1; }
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
    fi
    mkdir -p "$dir"
    persist=no; [ "${EPIGRID_REDIS_PERSIST:-0}" = 1 ] && persist=yes
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly "$persist" --daemonize yes \
      --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
    for _ in $(seq 1 40); do redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && exit 0; sleep 0.25; done
    echo "redis.sh: Redis did not answer on port $port; its log:" >&2
    tail -n 20 "$dir/redis.log" >&2 2>/dev/null || true
    exit 1
    ;;
  stop)
    # Wait until it has gone: a Redis still writing its log into DIR would race the caller's removal of DIR.
    pid=$(cat "$dir/redis.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    fi
    ;;
  *) echo "usage: redis.sh start|stop DIR PORT" >&2; exit 2 ;;
esac
