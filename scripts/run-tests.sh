#!/usr/bin/env bash
# The README's test command: installs dependencies, builds with warnings as errors, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh ci
export VFI_GOLDEN_DIR="${VFI_GOLDEN_DIR:-$(cd .. && pwd)/shared/golden}"
cd build-ci
# A failed suite is run once more: the kill-and-resume frame identity in test_e2e_cli has failed
# intermittently under parallel load (docs/known-issues.md). A suite that fails twice fails the run.
ctest --output-on-failure -j "${VFI_TEST_JOBS:-2}" --timeout 1200 --repeat until-pass:2
