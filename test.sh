#!/usr/bin/env bash
# Runs every test. Starts what the tests need: a throw-away PostgreSQL and Redis on free loopback ports, and
# the official JavaScript SignalR client's packages for the Node-based client test.
set -euo pipefail
cd "$(dirname "$0")"
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { local p=$1; while port_busy "$p"; do p=$((p + 1)); done; echo "$p"; }

work=$(mktemp -d /tmp/epigrid-test.XXXXXX)
chmod 755 "$work"
pg_port=$(free_port "${EPIGRID_TEST_PG_PORT:-55433}")
redis_port=$(free_port "${EPIGRID_TEST_REDIS_PORT:-56379}")
cleanup() {
  deploy/local/postgres.sh stop "$work/pg" "$pg_port"
  deploy/local/redis.sh stop "$work/redis" "$redis_port"
  rm -rf "$work" || true   # a leftover temp folder must not turn a green run red
}
trap cleanup EXIT
deploy/local/postgres.sh start "$work/pg" "$pg_port" postgres || { pg_port=$(free_port $((pg_port + 1))); deploy/local/postgres.sh start "$work/pg" "$pg_port" postgres; }
# A port found free can be taken before Redis binds it (other test runs share the machine): one retry on the next.
deploy/local/redis.sh start "$work/redis" "$redis_port" || { redis_port=$(free_port $((redis_port + 1))); deploy/local/redis.sh start "$work/redis" "$redis_port"; }
export EPIGRID_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
export EPIGRID_TEST_REDIS="127.0.0.1:$redis_port"
# The fault scenarios (real processes killed under load, ~4 minutes; tests/EpiGrid.Tests/Chaos) run by default.
export EPIGRID_CHAOS=${EPIGRID_CHAOS:-1}
(cd tests/js && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
# The browser tests drive Debian's headless Chromium (never a browser download); a CJK font draws the county names.
if ! command -v chromium >/dev/null || ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  [ "$(id -u)" = 0 ] || { echo "test.sh: install chromium and fonts-wqy-microhei (apt-get)" >&2; exit 1; }
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
fi

# The reproduction-number reference test runs the R package EpiEstim from Debian (tests/EpiGrid.Tests/Rules/ReproductionNumberTests.cs).
if ! command -v Rscript >/dev/null || ! Rscript --vanilla -e 'library(EpiEstim)' >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || { echo "test.sh: install r-base-core and r-cran-epiestim (apt-get)" >&2; exit 1; }
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends r-base-core r-cran-epiestim >/dev/null
fi

dotnet build EpiGrid.slnx -c Release -v q -nologo -clp:ErrorsOnly
# The whole log stays in TestResults/last-run.log; a failed run ends with its failures, so the tail a CI page
# shows names them.
mkdir -p TestResults
log=TestResults/last-run.log
set +e
dotnet test EpiGrid.slnx -c Release --no-build --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" -ne 0 ]; then
  echo "==== failed tests (whole log: $log) ===="
  awk '/^  Failed /{p=1; n=0} /^  Passed /{p=0} p && n < 14 {print; n++}' "$log"
fi
exit "$rc"
