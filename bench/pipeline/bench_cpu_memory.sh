#!/usr/bin/env bash
# The CPU memory policy (core/src/model/model_process.h) measured: the same TLB-VFI job (golden tiny
# checkpoint, --device cpu) under VFI_CPU_MEMORY=system (glibc's defaults), return (blocks above 1 MiB
# mapped and unmapped) and keep (freed blocks stay in the heap; the default for whole frames), with
# wall time, CPU time and peak RSS of each, and a check that all three wrote identical chunks.
#   bench/pipeline/bench_cpu_memory.sh [build-dir]     (SIZE, FRAMES, CHUNK, STEPS, THREADS, DEVICES override)
# Run on a quiet machine: the script prints `uptime` before and after.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD="${1:-build-ci}"
CLI="${VFI_CLI:-$BUILD/app/tlbvfi}"
GOLDEN="${VFI_GOLDEN_DIR:-../shared/golden}"
SIZE="${SIZE:-1280x720}"
FRAMES="${FRAMES:-5}"
CHUNK="${CHUNK:-2}"
STEPS="${STEPS:-3}"
THREADS="${THREADS:-$(nproc)}"
DEVICES="${DEVICES:-cpu}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

"$CLI" make-sample "$tmp/src.mp4" --frames "$FRAMES" --size "$SIZE" >/dev/null
echo "source: $SIZE, $FRAMES frames, chunks of $CHUNK, $STEPS steps, --devices $DEVICES --threads $THREADS"
echo "load before: $(uptime)"
# "tunables": glibc's own settings from process start instead of the policy's mallopt calls.
for policy in system return keep default tunables; do
    envs=(VFI_CPU_MEMORY="$policy")
    [ "$policy" = default ] && envs=()
    [ "$policy" = tunables ] && envs=(VFI_CPU_MEMORY=system GLIBC_TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=17179869184)
    /usr/bin/time -f "%e %U %S %M" -o "$tmp/$policy.time" env "${envs[@]}" "$CLI" interpolate "$tmp/src.mp4" \
        --session "$tmp/$policy" --range 0: --backend tlbvfi --model "$GOLDEN/tiny.pth" --config "$GOLDEN/tiny-config.json" \
        --steps "$STEPS" --threads "$THREADS" --devices "$DEVICES" --encoder ffv1 --chunk-frames "$CHUNK" --min-free-gb 0 \
        --scene-threshold 0 >/dev/null 2>"$tmp/$policy.log" || { cat "$tmp/$policy.log" >&2; exit 1; }
    awk -v p="$policy" '{printf "%-8s wall %7.1f s  CPU %7.1f s  peak RSS %6.0f MiB\n", p, $1, $2 + $3, $4 / 1024}' "$tmp/$policy.time"
done
for f in "$tmp"/system/chunk_*.nut; do
    for p in return keep default tunables; do
        cmp -s "$f" "$tmp/$p/$(basename "$f")" || { echo "chunk $(basename "$f") differs under $p" >&2; exit 1; }
    done
done
echo "chunk files identical: yes"
echo "load after: $(uptime)"
