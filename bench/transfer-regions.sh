#!/usr/bin/env bash
# Where the transfer benchmark's mean face error lies, fold group by fold group:
#   bench/transfer-regions.sh [weights=models/transfer.safetensors] [pairs=20]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/expportrait" --version >/dev/null   # builds the jar when the sources changed
cd "$root"
source "$root/bench/java.sh"
bench_java TransferRegions.java "${1:-models/transfer.safetensors}" "${2:-20}"
