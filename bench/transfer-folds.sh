#!/usr/bin/env bash
# The transfer module fold by fold on held-out faces (elder and child): bench/transfer-folds.sh [weights=models/transfer.safetensors] [faces=1]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/expportrait" --version >/dev/null   # builds the jar when the sources changed
cd "$root"
source "$root/bench/java.sh"
bench_java TransferFolds.java "${1:-models/transfer.safetensors}" "${2:-1}"
