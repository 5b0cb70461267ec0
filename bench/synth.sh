#!/usr/bin/env bash
# Time and size of a synthetic dataset: bench/synth.sh [identities=20] [frames=48] [size=256]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ids="${1:-20}"; frames="${2:-48}"; size="${3:-256}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$root/expportrait" --version >/dev/null
start=$(date +%s.%N)
"$root/expportrait" synth --identities "$ids" --clips-per-identity 1 --frames "$frames" --size "$size" --seed 7 --out "$out/data" | tail -1
end=$(date +%s.%N)
printf '%-12s %-8s %-6s %-10s %-12s %-14s\n' identities frames px seconds "MB on disk" "MB per clip"
printf '%-12s %-8s %-6s %-10.1f %-12.1f %-14.2f\n' "$ids" "$frames" "$size" "$(echo "$end - $start" | bc)" \
  "$(du -sm "$out/data" | cut -f1)" "$(echo "$(du -sk "$out/data" | cut -f1) / 1024 / $ids" | bc -l)"
