#!/usr/bin/env bash
# Expression transfer against ground truth, (i) base only, (ii) direct transfer, (iii) the module:
#   bench/transfer.sh [weights=models/transfer.safetensors | a,b,c (the mean of their predictions) | train:N:STEPS] [pairs=20] [frames=32] [size=128] [seeds=9000000]
#   seeds: the identities' first seed; 9000000 is the held-out test set, 8500000 the selection set (choosing weights).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/expportrait" --version >/dev/null   # builds the jar when the sources changed
cd "$root"
source "$root/bench/java.sh"
bench_java TransferBench.java "$@"
