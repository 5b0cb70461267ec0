#!/usr/bin/env bash
# Fitting accuracy against ground truth, variants (a)-(d): bench/fit.sh [dataset=generated] [variants=abcd] [config.json]
# Without a dataset it generates the held-out one: 6 identities x 32 frames at 256 px, seed 4242 (no test uses it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/expportrait" --version >/dev/null   # builds the jar when the sources changed
data="${1:-}"
if [ -z "$data" ]; then
  data="$root/data/bench-fit"
  [ -f "$data/manifest.json" ] || "$root/expportrait" synth --identities 6 --clips-per-identity 1 --frames 32 --size 256 --seed 4242 --out "$data" >/dev/null
fi
shift || true
source "$root/bench/java.sh"
bench_java FitBench.java "$data" "$@"
