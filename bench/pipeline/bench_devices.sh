#!/usr/bin/env bash
# Several CPU workers in one job against one (issue 12): TLB-VFI with the golden tiny checkpoint at
# 720p, `--devices cpu,cpu --threads 1` vs `--device cpu --threads 1`, same chunks. The throughput
# ratio shows whether the two workers run in parallel (goal >= 1.8 on a 2-core machine) or serialise
# on a shared lock. Also checks that both runs wrote byte-identical chunk files.
#   bench/pipeline/bench_devices.sh [build-dir]      (FRAMES, CHUNK, SIZE, STEPS, ROUNDS override)
# Run on a quiet machine: the script prints `uptime` before and after.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD="${1:-build-ci}"
CLI="${VFI_CLI:-$BUILD/app/tlbvfi}"
GOLDEN="${VFI_GOLDEN_DIR:-../shared/golden}"
FRAMES="${FRAMES:-9}"
CHUNK="${CHUNK:-2}"
SIZE="${SIZE:-1280x720}"
STEPS="${STEPS:-3}"
ROUNDS="${ROUNDS:-1}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

"$CLI" make-sample "$tmp/src.mp4" --frames "$FRAMES" --size "$SIZE" >/dev/null
generated=$(( FRAMES - 1 ))
echo "source: $SIZE, $FRAMES frames, chunks of $CHUNK source frames, $generated generated frames, $STEPS steps, $ROUNDS round(s)"
echo "load before: $(uptime)"

run() {   # name, device options...: prints wall seconds; CPU seconds (user + sys) go to $tmp/$name.cpu
    local name="$1"
    shift
    rm -rf "${tmp:?}/$name"
    local t0 t1
    t0=$(date +%s.%N)
    /usr/bin/time -f "%U %S" -o "$tmp/$name.time" "$CLI" interpolate "$tmp/src.mp4" --session "$tmp/$name" --range 0: --backend tlbvfi --model "$GOLDEN/tiny.pth" \
        --config "$GOLDEN/tiny-config.json" --steps "$STEPS" --threads 1 --encoder ffv1 --chunk-frames "$CHUNK" \
        --min-free-gb 0 --scene-threshold 0 "$@" >/dev/null 2>"$tmp/$name.log" || { cat "$tmp/$name.log" >&2; exit 1; }
    t1=$(date +%s.%N)
    awk '{printf "%.1f", $1 + $2}' "$tmp/$name.time" >"$tmp/$name.cpu"
    echo "$t0 $t1" | awk '{printf "%.2f", $2 - $1}'
}

for r in $(seq 1 "$ROUNDS"); do
    one=$(run one --device cpu)
    two=$(run two --devices cpu,cpu)
    for f in "$tmp"/one/chunk_*.nut; do
        cmp -s "$f" "$tmp/two/$(basename "$f")" || { echo "chunk $(basename "$f") differs between the runs" >&2; exit 1; }
    done
    echo "$one $two $generated $(cat "$tmp/one.cpu") $(cat "$tmp/two.cpu")" | awk -v r="$r" '{printf "round %d: --device cpu %.2f s (%.3f generated fps, CPU %.1f s), --devices cpu,cpu %.2f s (%.3f generated fps, CPU %.1f s), ratio %.2f\n", r, $1, $3 / $1, $4, $2, $3 / $2, $5, $1 / $2}'
done
echo "chunk files identical: yes"
echo "load after: $(uptime)"
