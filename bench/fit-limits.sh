#!/usr/bin/env bash
# What limits the fit: each clip fitted from its estimated observations, with the exact maps, and with the exact
# landmarks too: bench/fit-limits.sh [dataset=generated] [clips=id001,id003] [variant=a] [config.json]
# Without a dataset it uses (or generates) the held-out one of bench/fit.sh.
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
bench_java FitLimits.java "$data" "$@"
