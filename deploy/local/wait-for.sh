#!/usr/bin/env bash
# wait-for.sh port PORT SECONDS | wait-for.sh http URL SECONDS — waits until a TCP port accepts or a URL answers 200.
set -uo pipefail
kind=$1; target=$2; seconds=${3:-120}
for ((i = 0; i < seconds * 4; i++)); do
  case "$kind" in
    port) (exec 3<>"/dev/tcp/127.0.0.1/$target") 2>/dev/null && exit 0 ;;
    http) [ "$(curl -s -o /dev/null -w '%{http_code}' "$target")" = 200 ] && exit 0 ;;
  esac
  sleep 0.25
done
echo "wait-for.sh: $kind $target not ready after ${seconds}s" >&2
exit 1
