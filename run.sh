#!/usr/bin/env bash
# ./run.sh         set up what is missing, then run the service on http://127.0.0.1:8080 with the embedded PostgreSQL
# ./run.sh demo    set up, then the end-to-end demo: generate a stamped clip, re-encode it as a platform would
#                  (720p, CRF 28, metadata stripped), scan both, print the two verdicts
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
. scripts/env.sh
keys() { # the signing CA and claim-signing certificate, created on first use
  [ -f "${Provenance__DataDirectory:-.data}/keys/signer.pem" ] || { ./provenance keys init-ca && ./provenance keys issue; }
}
case "${1:-serve}" in
  serve)
    ./provenance db migrate
    keys
    exec ./provenance serve "${@:2}" ;;
  demo)
    ./provenance db migrate
    keys
    out="${Provenance__DataDirectory:-.data}/demo"
    mkdir -p "$out"
    ./provenance generate "a red balloon drifting over a harbour at sunset, slow pan" \
      -o "$out/generated.mp4" --seconds 6 --size 1280x720 --fps 30 --seed 7
    echo "re-encoding as a platform would: 720p, H.264 CRF 28, metadata and Content Credentials stripped"
    ffmpeg -v error -y -i "$out/generated.mp4" -vf scale=-2:720 -c:v libx264 -crf 28 -preset medium \
      -map_metadata -1 -an "$out/platform.mp4"
    ./provenance scan "$out/generated.mp4" --json > "$out/generated.scan.json"
    ./provenance scan "$out/platform.mp4" --json > "$out/platform.scan.json"
    for f in generated platform; do
      printf '\n== %s.mp4 ==\n' "$f"
      node -e 'const r = require(process.argv[1]);
        console.log(`verdict: ${r.verdict}`);
        for (const reason of r.reasons) console.log(`  - ${reason}`);' "$PWD/$out/$f.scan.json"
    done ;;
  *)
    echo "usage: ./run.sh [serve|demo]" >&2; exit 2 ;;
esac
