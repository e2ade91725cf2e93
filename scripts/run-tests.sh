#!/usr/bin/env bash
# The README's test command: installs dependencies, builds with warnings as errors, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh ci
export VFI_GOLDEN_DIR="${VFI_GOLDEN_DIR:-$(cd .. && pwd)/shared/golden}"
cd build-ci
# A failed suite is run once more, and its first failure stays in the log. Added for the x264
# non-determinism (fixed: docs/known-issues.md); kept because the GUI suites check playback and
# responsiveness in real time, which a loaded 2-core runner can delay (test_ui_player once missed a
# position check under load). A suite that fails twice fails the run.
ctest --output-on-failure -j "${VFI_TEST_JOBS:-2}" --timeout 1200 --repeat until-pass:2
