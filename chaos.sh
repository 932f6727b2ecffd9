#!/usr/bin/env bash
# The fault scenarios alone (tests/EpiGrid.Tests/Chaos), through test.sh, which starts PostgreSQL and builds in Release:
# kill -9 one of three silos, kill one of two web hosts, restart PostgreSQL, lose the PostgreSQL primary and promote its
# synchronous standby, restart Redis, each under a steady load of
# idempotent reports; kill -9 the alert ledger's silo while persons' alerts are due. Prints one line per scenario:
# acknowledged, stored, lost, converged-in, error share (the ledger's: expected, stored, lost and duplicates per alert
# kind). About 8 minutes. A first argument not starting with '-' picks scenarios by name: ./chaos.sh alert_ledgers_silo
set -euo pipefail
cd "$(dirname "$0")"
summary=$(mktemp /tmp/epigrid-chaos.XXXXXX)
trap 'rm -f "$summary"' EXIT
export EPIGRID_CHAOS=1 EPIGRID_CHAOS_SUMMARY=$summary
status=0
filter="FullyQualifiedName~EpiGrid.Tests.Chaos"
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then filter="$filter&FullyQualifiedName~$1"; shift; fi
./test.sh --filter "$filter" "$@" || status=$?
echo
echo "Fault scenarios:"
cat "$summary"
exit $status
