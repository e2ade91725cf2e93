#!/usr/bin/env bash
# One GPU benchmark session for docs/benchmarks.md (issue 3 item 8): builds the LibTorch-only model
# target against the machine's pip PyTorch, then
#   1. official PyTorch vs bench_model side by side (same weights, steps, frames) at 1080p and 4K in
#      fp32 / tf32 / fp16 / bf16 (official_side_by_side.py);
#   2. 4K with a memory budget (exact tiling) in fp16 and fp32: peak CUDA memory;
#   3. CPU vs CUDA output of the port at 512² (fp32, fp16, bf16 against CPU fp32);
#   4. (variants) the port's options that trade memory for speed, at 1080p fp16.
# Usage: bench/model/run_gpu_bench.sh OFFICIAL_CHECKOUT OUT_DIR [SECTIONS]
# SECTIONS: any of side budget drift variants (default: side budget drift).
set -u
official=$1
out=$2
sections=" ${3:-side budget drift} "
has() { [[ $sections == *" $1 "* ]]; }
mkdir -p "$out"
work=/tmp/vfi_gpu_bench
mkdir -p "$work"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv | tee "$out/gpu.txt"
torch_dir=$(python3 -c 'import torch, os; print(os.path.join(torch.utils.cmake_prefix_path, "Torch"))')
start=$(date +%s)
if ! { cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DVFI_MODEL_ONLY=ON -DTorch_DIR="$torch_dir" &&
       cmake --build build-gpu --target bench_model -j"$(nproc)"; } >"$out/build.log" 2>&1; then
    grep -E "error|Error" "$out/build.log" | head -40
    tail -30 "$out/build.log"
    exit 1
fi
echo "build: $(($(date +%s) - start)) s"
bench=build-gpu/bench/model/bench_model

if has side; then
    timeout 270 python3 bench/model/official_side_by_side.py --official "$official" --bench "$bench" --work "$work" \
        2>&1 | tee "$out/side_by_side.md"
else   # the same seeded weights, without the timings
    timeout 60 python3 bench/model/official_side_by_side.py --official "$official" --bench "$bench" --work "$work" \
        --save-only >"$out/save_only.log" 2>&1
fi

ckpt=$work/random_official.pth
weights=(--checkpoint "$ckpt")
[ -f "$ckpt" ] || weights=()   # the official model could not be built: random weights of the port
has budget && {
    for run in "fp16 8000" "fp16 6000" "fp32 16000" "fp32 8000"; do
        set -- $run
        echo "== 4K $1 --memory-budget $2"
        timeout 60 "$bench" "${weights[@]}" --size 2160x3840 --steps 10 --precision "$1" --device cuda:0 \
            --pairs 1 --memory-budget "$2" 2>&1 | grep -E "ms per|peak CUDA|memory plan|bench_model:"
    done
} 2>&1 | tee "$out/budget.txt"

has variants && {
    for v in "" "--cudnn-benchmark 1" "--tap-by-tap 0" "--attn-budget-mb 0" "--cache 8" \
        "--cudnn-benchmark 1 --tap-by-tap 0 --cache 8"; do
        echo "== 1080p fp16 ${v:-(defaults)}"
        # shellcheck disable=SC2086
        timeout 45 "$bench" "${weights[@]}" --size 1080x1920 --steps 10 --precision fp16 --device cuda:0 \
            --pairs 4 $v 2>&1 | grep -E "steady|peak CUDA|bench_model:"
    done
} 2>&1 | tee "$out/variants.txt"

has drift && {
    timeout 90 "$bench" "${weights[@]}" --size 512x512 --steps 10 --device cpu --threads "$(nproc)" \
        --dump "$work/cpu.f32" | grep -E "ms per|dumped|bench_model:"
    for p in fp32 tf32 fp16 bf16; do
        timeout 40 "$bench" "${weights[@]}" --size 512x512 --steps 10 --device cuda:0 --precision "$p" \
            --dump "$work/cuda_$p.f32" | grep -E "dumped|bench_model:"
    done
    python3 - "$work" <<'EOF'
import sys, numpy as np
w = sys.argv[1]
ref = np.fromfile(f"{w}/cpu.f32", dtype=np.float32)
for p in ("fp32", "tf32", "fp16", "bf16"):
    try:
        x = np.fromfile(f"{w}/cuda_{p}.f32", dtype=np.float32)
        d = np.abs(x - ref)
        print(f"512² cuda {p} vs cpu fp32: max |d| {d.max():.3g}, mean |d| {d.mean():.3g}, "
              f"share > 1/255 {np.mean(d > 2 / 255):.4f} (outputs in [-1, 1])")
    except Exception as e:
        print(f"cuda {p}: {e}")
EOF
} 2>&1 | tee "$out/cpu_vs_cuda.txt"
echo "total: $(($(date +%s) - start)) s"
