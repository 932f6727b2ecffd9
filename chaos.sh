#!/usr/bin/env bash
# The fault scenarios alone (tests/EpiGrid.Tests/Chaos), through test.sh, which starts PostgreSQL and builds in Release:
# kill -9 one of three silos, kill one of two web hosts, restart PostgreSQL, restart Redis, each under a steady load of
# idempotent reports. Prints one line per scenario: acknowledged, stored, lost, converged-in, error share. About 5 minutes.
set -euo pipefail
cd "$(dirname "$0")"
summary=$(mktemp /tmp/epigrid-chaos.XXXXXX)
trap 'rm -f "$summary"' EXIT
export EPIGRID_CHAOS=1 EPIGRID_CHAOS_SUMMARY=$summary
status=0
./test.sh --filter "FullyQualifiedName~EpiGrid.Tests.Chaos" "$@" || status=$?
echo
echo "Fault scenarios:"
cat "$summary"
exit $status
