#!/usr/bin/env bash
# Sets up whatever is missing on this machine, then builds. Idempotent: each step checks first.
#   scripts/setup.sh            runtime needs: ffmpeg, ONNX Runtime, NuGet restore, build
#   scripts/setup.sh --tests    also what the test suite needs: chromium, the c2pa-rs checker
# Everything lands in ignored folders of the repository (.cache/, .tools/) or comes from apt.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
want_tests=0
for a in "$@"; do case "$a" in --tests) want_tests=1 ;; *) echo "setup: unknown option $a" >&2; exit 2 ;; esac; done

say() { printf '[setup] %s\n' "$*" >&2; }

# --- Debian packages -------------------------------------------------------------------------
apt_pkgs=(ffmpeg libonnx-dev)
[ "$want_tests" = 1 ] && apt_pkgs+=(chromium chromium-driver)
missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null; then
    say "missing Debian packages: ${missing[*]} (run as root or install them)"; exit 1
  fi
  sudo_=""; [ "$(id -u)" != 0 ] && sudo_=sudo
  say "installing ${missing[*]}"
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
for p in initdb pg_ctl postgres; do
  [ -x "/usr/lib/postgresql/15/bin/$p" ] || { say "PostgreSQL 15 server binaries are missing (apt-get install postgresql-15)"; exit 1; }
done

# --- ONNX Runtime native library (npm onnxruntime-node ships the official build) ---------------
ort_ver=1.30.0
ort_dir=.cache/onnxruntime/$ort_ver
if [ ! -f "$ort_dir/libonnxruntime.so.1" ]; then
  say "fetching ONNX Runtime $ort_ver native library"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "onnxruntime-node@$ort_ver" >/dev/null)
  tar -xzf "$tmp"/onnxruntime-node-*.tgz -C "$tmp" package/bin/napi-v6/linux/x64/libonnxruntime.so.1
  mkdir -p "$ort_dir"
  mv "$tmp/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" "$ort_dir/"
  ln -sf libonnxruntime.so.1 "$ort_dir/libonnxruntime.so"
  rm -rf "$tmp"
fi

# Optional, GPU hosts only: the CUDA execution provider (CUDA 12 + cuDNN 9 build) beside the library above.
# PROVENANCE_ORT_CUDA=1 scripts/setup.sh fetches it from the NuGet package Microsoft.ML.OnnxRuntime.Gpu.Linux (the
# same source onnxruntime-node's own installer uses) with dotnet's restore. Without it ONNX Runtime runs on the CPU
# and reports why; see src/Inference/README.md.
if [ "${PROVENANCE_ORT_CUDA:-0}" = 1 ] && [ ! -f "$ort_dir/libonnxruntime_providers_cuda.so" ]; then
  say "fetching the ONNX Runtime $ort_ver CUDA execution provider (Microsoft.ML.OnnxRuntime.Gpu.Linux)"
  tmp=$(mktemp -d)
  cat > "$tmp/fetch.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Microsoft.ML.OnnxRuntime.Gpu.Linux" Version="[$ort_ver]" /></ItemGroup>
</Project>
EOF
  if ! dotnet restore "$tmp/fetch.csproj" --packages "$tmp/packages" -v q >&2; then
    rm -rf "$tmp"
    say "Microsoft.ML.OnnxRuntime.Gpu.Linux $ort_ver could not be restored from the configured NuGet feeds;"
    say "copy libonnxruntime_providers_cuda.so and libonnxruntime_providers_shared.so from it into $ort_dir by hand"
    exit 1
  fi
  native="$tmp/packages/microsoft.ml.onnxruntime.gpu.linux/$ort_ver/runtimes/linux-x64/native"
  cp "$native/libonnxruntime_providers_cuda.so" "$native/libonnxruntime_providers_shared.so" "$ort_dir/"
  rm -rf "$tmp"
fi

# --- test tools --------------------------------------------------------------------------------
if [ "$want_tests" = 1 ]; then
  c2pa_src="$root/../shared/tools/c2pa-check"
  c2pa_dst=.tools/c2pa-check
  if [ ! -f "$c2pa_dst/node_modules/.ok" ]; then
    [ -d "$c2pa_src" ] || { say "c2pa-check not found at $c2pa_src"; exit 1; }
    say "installing the c2pa-rs checker into $c2pa_dst"
    mkdir -p "$c2pa_dst"
    (cd "$c2pa_src" && tar --exclude=node_modules --exclude=certs --exclude=demo-out -cf - .) | tar -xf - -C "$c2pa_dst"
    chmod -R u+w "$c2pa_dst"
    (cd "$c2pa_dst" && npm ci --silent >/dev/null 2>&1 || npm ci)
    touch "$c2pa_dst/node_modules/.ok"
  fi
  # Held-out images the detector's tests score (npm packages: fake-avatars, face-api samples, retinaface).
  training/fetch-data.sh
fi

# --- .NET build ----------------------------------------------------------------------------------
if [ "${PROVENANCE_SKIP_BUILD:-0}" != 1 ]; then
  say "building"
  dotnet build Provenance.sln -c Release -v q -nologo -clp:ErrorsOnly
fi
