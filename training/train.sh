#!/usr/bin/env bash
# training/train.sh: one command that reproduces the shipped baseline classifier.
#   installs Debian's CPU PyTorch, torchvision, onnx (and the data packages) when missing, fetches the data,
#   builds the augmented dataset, trains with a fixed seed, exports ONNX and writes the model card:
#   models/baseline-ganfaces.onnx, models/baseline-ganfaces.card.json
# Runs niced on two threads; about 10 minutes on two cores.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
pkgs=(python3-torch python3-torchvision python3-onnx python3-skimage python3-pil python3-numpy python3-opencv
      opencv-data opencv-doc python-matplotlib-data ffmpeg)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_=""; [ "$(id -u)" != 0 ] && sudo_=sudo
  echo "[training] installing ${missing[*]}" >&2
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
training/fetch-data.sh
export OMP_NUM_THREADS=2 MKL_NUM_THREADS=2 PYTHONHASHSEED=0
py=/usr/bin/python3   # Debian's interpreter, where the apt packages live
nice -n 5 "$py" training/build_dataset.py --out .cache/training/dataset.npz "$@"
nice -n 5 "$py" training/train_baseline.py --data .cache/training/dataset.npz --out models/baseline-ganfaces
