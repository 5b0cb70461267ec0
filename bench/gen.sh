#!/usr/bin/env bash
# The video generator against ground truth on held-out synthetic identities (self-reenactment, 64 px,
# ground-truth normal maps as control), with the VAE reconstruction (ceiling) and the reference repeated
# (floor); training throughput in GFLOP/s against a matrix product; sampling time per frame:
#   bench/gen.sh [generator=models/generator.safetensors] [clips=8] [steps=25] [guidance=1,2] [start=24] [start-timesteps=999]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/expportrait" --version >/dev/null   # builds the jar when the sources changed
cd "$root"
model="${1:-models/generator.safetensors}"; clips="${2:-8}"
data="data/bench-gen"
if [ ! -f "$data/manifest.json" ]; then
  "$root/expportrait" synth --identities "$clips" --clips-per-identity 1 --frames 40 --size 64 --seed 9100 --out "$data" >/dev/null
fi
source "$root/bench/java.sh"
bench_java GenBench.java "$model" "$data" "${3:-25}" "${4:-1,2}" "${5:-24}" "${6:-999}"
