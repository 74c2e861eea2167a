#!/bin/sh
# The container image's entrypoint: its command selects the process's role.
#   gateway             the gateway alone (npm run gateway): calls departments at SUBGRAPH_<NAME>_URL
#   subgraph <name>     one department (npm run subgraph -- <name>)
# The command lines are npm's own, run without npm: signals reach Node directly (exec), so
# SIGTERM drains the gateway instead of killing a wrapper. Tests run this same script.
set -eu
cd "$(dirname "$0")/.."
role="${1:-}"
[ $# -gt 0 ] && shift
case "$role" in
  # The gateway alone: Node's default young generation and two malloc arenas (docs/operations.md,
  # Memory); npm run gateway's command line.
  gateway) MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" exec node --import tsx bin/gateway.ts "$@" ;;
  subgraph) exec node --import tsx bin/subgraph.ts "$@" ;;
  *)
    echo "usage: gateway | subgraph <name>" >&2
    exit 2
    ;;
esac
