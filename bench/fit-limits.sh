#!/usr/bin/env bash
# What limits the fit: each clip fitted from its estimated observations, with the exact maps, and with the exact
# landmarks too: bench/fit-limits.sh [dataset=generated] [clips=id001,id003] [variant=a] [config.json]
# Without a dataset (or with "") it uses, or generates, the held-out one of bench/fit.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/expportrait" --version >/dev/null   # builds the jar when the sources changed
source "$root/bench/java.sh"
data="$(bench_fit_data "${1:-}")"
shift || true
bench_java FitLimits.java "$data" "$@"
