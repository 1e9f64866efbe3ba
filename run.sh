#!/usr/bin/env bash
# ./run.sh         set up what is missing, then run the service on http://127.0.0.1:8080 with the embedded PostgreSQL
# ./run.sh demo    set up, then the end-to-end demo: generate a clip, re-encode it as a platform would, scan both
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
case "${1:-serve}" in
  serve)
    ./provenance db migrate
    exec ./provenance serve "${@:2}" ;;
  demo)
    exec ./provenance demo "${@:2}" ;;
  *)
    echo "usage: ./run.sh [serve|demo]" >&2; exit 2 ;;
esac
