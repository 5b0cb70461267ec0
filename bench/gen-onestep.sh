#!/usr/bin/env bash
# Where the generator loses detail: the VAE's reconstruction of true frames, and the denoiser's one-step estimate
# of the clean latent from the true latent noised to t, decoded, each scored against the truth (as bench/gen.sh),
# over the held-out clips of bench/gen.sh; writes out/gen-onestep.png (first clip, frame 28: truth | VAE | t = ...):
#   bench/gen-onestep.sh [generator, or a VAE alone=models/generator.safetensors] [clips=8] [timesteps=50,200,400,600,800]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/expportrait" --version >/dev/null   # builds the jar when the sources changed
cd "$root"
clips="${2:-8}"
data="data/bench-gen"
if [ ! -f "$data/manifest.json" ]; then
  "$root/expportrait" synth --identities "$clips" --clips-per-identity 1 --frames 40 --size 64 --seed 9100 --out "$data" >/dev/null
fi
source "$root/bench/java.sh"
bench_java GenOneStep.java "${1:-models/generator.safetensors}" "$data" "${3:-50,200,400,600,800}" out/gen-onestep.png
