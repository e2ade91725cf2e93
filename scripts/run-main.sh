#!/usr/bin/env bash
# The README's main command: installs dependencies, builds, then starts the GUI. Without a display it
# runs the CLI on a generated sample clip instead (TLB-VFI if a checkpoint is given, else blend preview).
# It builds the same tree as scripts/run-tests.sh (build-ci/, warnings as errors), so whichever of the
# two runs second compiles nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh ci
BIN=build-ci/app
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$BIN/tlbvfi-studio" "$@"
fi
echo "No display: running the headless CLI on a generated sample clip."
OUT="${VFI_SAMPLE_DIR:-build-ci/sample}"
mkdir -p "$OUT"
"$BIN/tlbvfi" make-sample "$OUT/sample.mp4" --frames 90 --size 640x360 --fps 30000/1001 --audio
"$BIN/tlbvfi" info "$OUT/sample.mp4"
if [ -n "${TLBVFI_CHECKPOINT:-}" ]; then
  "$BIN/tlbvfi" interpolate "$OUT/sample.mp4" -o "$OUT/sample_2x.mp4" --overwrite --backend tlbvfi --model "$TLBVFI_CHECKPOINT"
else
  echo "TLBVFI_CHECKPOINT is not set: using the blend preview backend (not AI interpolation)."
  "$BIN/tlbvfi" interpolate "$OUT/sample.mp4" -o "$OUT/sample_2x.mp4" --overwrite --backend blend
fi
"$BIN/tlbvfi" verify "$OUT/sample_2x.mp4"
