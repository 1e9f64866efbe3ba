#!/usr/bin/env bash
# bench/run.sh NAME [ARGS...]: set up what is missing, then run one benchmark.
# Every benchmark prints progress on stderr and its figures as one JSON object on the last line of stdout.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ $# -lt 1 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
  echo "usage: bench/run.sh NAME [ARGS...]   (names: $(ls bench/Bench/*Bench.cs 2>/dev/null | xargs -n1 basename | sed 's/Bench.cs//' | tr 'A-Z' 'a-z' | tr '\n' ' '))" >&2
  exit 2
fi
PROVENANCE_SKIP_BUILD=1 scripts/setup.sh
dotnet build bench/Bench -c Release -v q -nologo -clp:ErrorsOnly >&2
exec dotnet bench/Bench/bin/Release/net10.0/provenance-bench.dll "$@"
