#!/usr/bin/env bash
# The README's test command: installs dependencies, builds with warnings as errors, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
# Each part's wall time is printed at the end, so a CI log says where its time went.
times=()
t_part=$(date +%s)
lap() { local now; now=$(date +%s); times+=("$1: $(( now - t_part )) s"); t_part=$now; }
bash scripts/install-deps.sh
lap "install-deps"
bash scripts/build.sh ci
lap "ci build"
export VFI_GOLDEN_DIR="${VFI_GOLDEN_DIR:-$(cd .. && pwd)/shared/golden}"
cd build-ci
rm -f test-tmp/skipped-mount-checks.txt
status=0
# Every suite runs once and a failure fails the run: the determinism and resume suites compare bytes,
# and a rerun would let an intermittent difference through (30 % flaky passes about nine runs in ten).
ctest --output-on-failure -j "${VFI_TEST_JOBS:-2}" --timeout 1200 -LE realtime || status=1
lap "suites"
# Only the suites labelled "realtime" (GUI suites checking playback positions and quit latency in
# real time, which a loaded 2-core runner can delay; test_ui_player once missed a position check
# under load) are run a second time when they fail; the first failure stays in the log.
ctest --output-on-failure -j "${VFI_TEST_JOBS:-2}" --timeout 1200 -L realtime --repeat until-pass:2 || status=1
lap "realtime suites"
# Checks that need a filesystem mounted by the test skip (loudly) where mounting is not allowed.
if [ -s test-tmp/skipped-mount-checks.txt ]; then
  echo "run-tests: these checks were SKIPPED (they need root: with CAP_SYS_ADMIN to mount a test filesystem, or to start the Slurm test cluster):"
  sort -u test-tmp/skipped-mount-checks.txt
fi
cd ..
# Sanitizers (scripts/sanitize-tests.sh): the core, e2e and model suites again, built with ASan +
# UBSan (the sanitize preset, build-sanitize/, no GUI); any report fails the run. About 11 min to
# build from a cold ccache and 3.5 min to run on a 2-core machine (docs/benchmarks.md, "Sanitizers").
# VFI_SANITIZE_TESTS=0 leaves them out of a local run.
if [ "${VFI_SANITIZE_TESTS:-1}" = 1 ]; then
  bash scripts/sanitize-tests.sh || status=1
  lap "sanitize build + suites"
fi
# Fuzzing: a bounded run of every libFuzzer target (scripts/fuzz.sh: 1 s per input, 2 GiB RSS);
# a crash, leak or timeout fails the run and leaves its input in build-fuzz/artifacts/.
bash scripts/fuzz.sh "${VFI_FUZZ_SECONDS:-60}" || status=1
lap "fuzz build + runs"
# The Debian package, built and tested as a user installs it (check-package.sh says what it checks).
bash scripts/check-package.sh build-ci || status=1
lap "package"
echo "run-tests: time per part:"
printf '  %s\n' "${times[@]}"
exit $status
