#!/usr/bin/env bash
# Builds the sanitize preset (ASan + UBSan, build-sanitize/, no GUI; cmake/VfiSanitize.cmake) and
# runs the core, e2e and model suites in it. Fails when a suite fails (a report aborts its process)
# or when any process, the CLI started by a suite included, wrote a report to
# build-sanitize/sanitizer-reports/. Called by scripts/run-tests.sh; prints the build and test times.
#   scripts/sanitize-tests.sh [ctest -R regex]
set -euo pipefail
cd "$(dirname "$0")/.."
export VFI_GOLDEN_DIR="${VFI_GOLDEN_DIR:-$(cd .. && pwd)/shared/golden}"
t0=$(date +%s)
bash scripts/build.sh sanitize
t1=$(date +%s)
cd build-sanitize
rm -rf sanitizer-reports test-tmp/skipped-mount-checks.txt
mkdir -p sanitizer-reports
# Left out, with the reason (docs/benchmarks.md, "Sanitizers", has the measured times):
# - test_e2e_model_cli, test_speed_paths, test_tlbvfi_interpolator, test_parity_decoder: full model
#   renders on the CPU, 5-20 min each uninstrumented on a loaded 2-core runner and 2-3x that under
#   ASan. Their code paths (the model, its loader, the checkpoint reader) run under the sanitizers in
#   test_parity_encoder, test_checkpoint, test_official_keys, test_tiling, test_attention_chunking and
#   test_model_library.
EXCLUDE='^(test_e2e_model_cli|test_speed_paths|test_tlbvfi_interpolator|test_parity_decoder)$'
status=0
ctest --output-on-failure -j "${VFI_TEST_JOBS:-2}" -L 'core|e2e|model' -E "$EXCLUDE" ${1:+-R "$1"} || status=1
t2=$(date +%s)
if [ -n "$(ls -A sanitizer-reports)" ]; then
  echo "sanitize-tests: sanitizer reports:"
  for f in sanitizer-reports/*; do echo "== $f"; head -60 "$f"; done
  status=1
fi
echo "sanitize-tests: build $((t1 - t0)) s, tests $((t2 - t1)) s"
exit $status
