#!/usr/bin/env bash
# Calibration of the fit's hair prior (FitConfig.Details.hairGapScale): bench/hair-calibration.sh [identities=16] [size=256]
# Synthetic clips of seed 777 (no test or other benchmark uses it), 8 frames; for each, the raw silhouette gap after
# tracking against the best single scalp offset of the true D_id; prints a row per clip and the least-squares scale.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/expportrait" --version >/dev/null   # builds the jar when the sources changed
ids="${1:-16}"; size="${2:-256}"
data="$root/data/calib-hair-$ids-$size"
[ -f "$data/manifest.json" ] || "$root/expportrait" synth --identities "$ids" --clips-per-identity 1 --frames 8 --size "$size" --seed 777 --out "$data" >/dev/null
source "$root/bench/java.sh"
bench_java HairCalibration.java "$data"
