#!/usr/bin/env bash
# Fitting accuracy against ground truth, variants (a)-(d): bench/fit.sh [dataset=generated] [variants=abcd] [config.json]
# Without a dataset it generates the held-out one: 6 identities x 32 frames at 256 px, seed 4242 (no test uses it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/expportrait" --version >/dev/null   # builds the jar when the sources changed
source "$root/bench/java.sh"
data="$(bench_fit_data "${1:-}")"
shift || true
bench_java FitBench.java "$data" "$@"
