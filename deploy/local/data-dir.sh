#!/usr/bin/env bash
# Prints the folder that keeps a local run's data. The repository's .epigrid/ when the postgres user can reach it
# (it must traverse every parent), else a folder under /var/lib/epigrid named after the repository path.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
want=${EPIGRID_DATA:-$repo/.epigrid}
mkdir -p "$want"
if [ "$(id -u)" != 0 ] || runuser -u postgres -- test -x "$want" 2>/dev/null; then
  echo "$want"
else
  alt=/var/lib/epigrid/$(printf '%s' "$repo" | md5sum | cut -c1-12)
  mkdir -p "$alt"; echo "$alt"
fi
