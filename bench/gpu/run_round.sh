#!/usr/bin/env bash
# One GPU round of issue 13 (docs/benchmarks.md, "GPU round: how to run it"). Builds the CLI, the
# model library and bench_model once with this machine's compiler and LibTorch (FFmpeg from the
# bundle make_cli_bundle.sh packs), then takes every measurement in order of importance:
#   cli      the CLI end to end: 1080p and 4K sources, libx264 and FFV1 chunks, join, verify; a
#            SIGKILL mid-job and a rerun whose chunks are byte-identical; fps, peak GPU memory, RSS;
#            the 1080p x264 job with --profile (decode, colour, model stages, encode);
#   profile  bench_model --profile at 1080p and 4K, with the speed switches on (the defaults) and off;
#   speed    each speed candidate on and off (channels_last, sdpa, cuda_graphs, batch, tiled 4K):
#            ms per frame and peak memory;
#   drift    each candidate's drift from the CPU fp32 output at 512² (same weights and noise);
#   side     the official implementation and the port side by side (same weights, frames, steps).
#   bench/gpu/run_round.sh OUT_DIR [SECTIONS]          (SECTIONS: any of cli profile speed drift side)
# Inputs (paths relative to the repository root, overridable by environment):
#   VFI_ROUND_BUNDLE    .gpu_tree/cli_bundle.tar.xz   FFmpeg for a machine without it (make_cli_bundle.sh)
#   VFI_ROUND_KEYS      .gpu_tree/official-keys.tsv   shapes of the real checkpoint (golden data)
#   VFI_ROUND_OFFICIAL  .gpu_tree/official            checkout of ZonglinL/TLBVFI (for `side`)
# VFI_ROUND_MODE=cpu is the dry run for a machine without a GPU: every step with tiny sizes, the
# CPU, fp32, 3 sample steps and the golden tiny checkpoint (VFI_ROUND_GOLDEN, default ../shared/golden),
# so that a typo cannot cost GPU time. VFI_ROUND_PREBUILT=DIR (dry run on a busy 2-core machine) still
# configures the round's build but takes tlbvfi, libvfi_model and bench_model from the build in DIR.
set -u
out=$(mkdir -p "$1" && cd "$1" && pwd)
sections=" ${2:-cli profile speed drift side} "
has() { [[ $sections == *" $1 "* ]]; }
mode=${VFI_ROUND_MODE:-gpu}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
bundle_archive=${VFI_ROUND_BUNDLE:-.gpu_tree/cli_bundle.tar.xz}
keys=${VFI_ROUND_KEYS:-.gpu_tree/official-keys.tsv}
official=${VFI_ROUND_OFFICIAL:-.gpu_tree/official}
golden=${VFI_ROUND_GOLDEN:-../shared/golden}
work=/tmp/vfi_round
rm -rf "$work"
mkdir -p "$work"
exec > >(tee "$out/round.log") 2>&1
t_start=$(date +%s)
step() { echo; echo "== $* (+$(($(date +%s) - t_start)) s)"; }
measure() { python3 bench/gpu/measure.py "$@"; }

threads=$(nproc)
if [ "$mode" = gpu ]; then
    dev=cuda:0 prec=fp16 steps=10
    size1080=1920x1080 frames1080=17 size4k=3840x2160 frames4k=5
    bench1080=1080x1920 bench4k=2160x3840 drift=512x512 pairs=4
else
    dev=cpu prec=fp32 steps=3
    size1080=320x180 frames1080=5 size4k=640x360 frames4k=3
    bench1080=256x256 bench4k=256x512 drift=256x256 pairs=2
    threads=1   # a dry run on a shared 2-core machine: OpenMP threads spin badly when oversubscribed
fi

step "machine ($mode)"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv 2>/dev/null || echo "no nvidia-smi"
grep PRETTY_NAME /etc/os-release
c++ --version | head -1
nproc

step "build (tlbvfi, vfi_model, bench_model)"
torch_dir=$(python3 -c 'import torch, os; print(os.path.join(torch.utils.cmake_prefix_path, "Torch"))' 2>/dev/null ||
            echo /usr/share/cmake/Torch)
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)' 2>/dev/null ||
    echo "no PyTorch for python3: LibTorch from $torch_dir"
build=build-round
cmake_env=()
cmake_args=()
cli_libs=
if [ -f "$bundle_archive" ]; then
    bundle=$work/bundle
    mkdir -p "$bundle"
    tar -C "$bundle" -xJf "$bundle_archive" || exit 1
    cmake_env=(PATH="$bundle/dev/bin:$PATH" PKG_CONFIG_LIBDIR="$bundle/dev/lib/pkgconfig")
    cmake_args=(-Dnlohmann_json_DIR="$bundle/dev/share/cmake/nlohmann_json"
                -DCMAKE_EXE_LINKER_FLAGS="-Wl,-rpath-link,$bundle/lib" -DCMAKE_SHARED_LINKER_FLAGS="-Wl,-rpath-link,$bundle/lib")
    cli_libs=$bundle/lib
    echo "FFmpeg from $bundle_archive"
elif pkg-config --exists libavformat 2>/dev/null; then
    echo "FFmpeg from this machine (no bundle at $bundle_archive)"
else
    echo "no FFmpeg: make the bundle here first (docs/benchmarks.md)"
    exit 1
fi
b0=$(date +%s)
targets=(--target tlbvfi vfi_model bench_model)
[ -n "${VFI_ROUND_PREBUILT:-}" ] && targets=(--target help)
if ! { env "${cmake_env[@]}" cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVFI_BUILD_UI=OFF \
           -DVFI_BUILD_TESTS=OFF -DTorch_DIR="$torch_dir" "${cmake_args[@]}" &&
       env "${cmake_env[@]}" cmake --build "$build" "${targets[@]}" -j"$(nproc)"; } \
       >"$out/build.log" 2>&1; then
    grep -E "error|Error" "$out/build.log" | head -40
    tail -20 "$out/build.log"
    exit 1
fi
echo "build: $(($(date +%s) - b0)) s"
if [ -n "${VFI_ROUND_PREBUILT:-}" ]; then
    build=$VFI_ROUND_PREBUILT
    echo "configured only; binaries from $build"
fi
export LD_LIBRARY_PATH=${cli_libs}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export VFI_MODEL_LIBRARY=$root/$build/core/src/model/libvfi_model.so
cli=$root/$build/app/tlbvfi
bench=$root/$build/bench/model/bench_model

# Weights: random ones of the official shapes (GPU), or the golden tiny checkpoint (dry run).
if [ "$mode" = gpu ]; then
    python3 bench/model/make_random_checkpoint.py "$keys" "$work/random.pth" || exit 1
    model_args=(--model "$work/random.pth")
else
    model_args=(--model "$golden/tiny.pth" --config "$golden/tiny-config.json" --threads "$threads")
fi
tlbvfi_args=(--backend tlbvfi "${model_args[@]}" --device "$dev" --precision "$prec" --steps "$steps"
             --min-free-gb 0 --scene-threshold 0)

if has cli; then
    step "cli: sources"
    "$cli" make-sample "$work/s1080.mp4" --frames "$frames1080" --size "$size1080" >/dev/null || exit 1
    "$cli" make-sample "$work/s4k.mp4" --frames "$frames4k" --size "$size4k" >/dev/null || exit 1
    job() {   # NAME SOURCE OUTPUT-EXTENSION ENCODER [options]
        local name=$1 src=$2 ext=$3 enc=$4
        shift 4
        step "cli: $name"
        measure --timeout 240 -- "$cli" interpolate "$work/$src" -o "$work/$name.$ext" --session "$work/$name.session" \
            --keep-chunks --encoder "$enc" "${tlbvfi_args[@]}" "$@" 2>&1 | grep -v "%" | tail -60
        "$cli" verify "$work/$name.$ext" && "$cli" info "$work/$name.$ext" --no-scan | grep -E "video:|frames:"
    }
    job j1080_x264 s1080.mp4 mp4 libx264 --chunk-frames 4 --profile
    job j1080_ffv1 s1080.mp4 mkv ffv1 --chunk-frames 4
    job j4k_x264 s4k.mp4 mp4 libx264 --chunk-frames 2
    job j4k_ffv1 s4k.mp4 mkv ffv1 --chunk-frames 2

    step "cli: 1080p FFV1 killed (SIGKILL) once chunk 0 is recorded, then rerun"
    measure --timeout 240 --kill-when "$work/k1080.session/chunk_000000.json" -- "$cli" interpolate "$work/s1080.mp4" \
        -o "$work/k1080.mkv" --session "$work/k1080.session" --keep-chunks --encoder ffv1 "${tlbvfi_args[@]}" \
        --chunk-frames 4 2>&1 | grep -v "%" | tail -5
    echo "after the kill: $(ls "$work/k1080.session" | tr '\n' ' ')"
    measure --timeout 240 -- "$cli" interpolate "$work/s1080.mp4" -o "$work/k1080.mkv" --session "$work/k1080.session" \
        --keep-chunks --encoder ffv1 "${tlbvfi_args[@]}" --chunk-frames 4 2>&1 | grep -v "%" | tail -12
    "$cli" verify "$work/k1080.mkv"
    for c in "$work"/j1080_ffv1.session/chunk_*.nut; do
        other=$work/k1080.session/$(basename "$c")
        if cmp -s "$c" "$other"; then echo "$(basename "$c"): identical"; else echo "$(basename "$c"): DIFFERENT"; fi
    done
fi 2>&1 | tee "$out/cli.txt"

bench_run() {   # LABEL bench_model options...
    local label=$1
    shift
    echo "-- $label: bench_model $*"
    # Line-buffered, so that a run stopped by the timeout still shows what it printed.
    timeout 240 stdbuf -oL "$bench" --steps "$steps" --device "$dev" --threads "$threads" "$@" 2>&1 |
        grep -E "speed switches|steady|ms per generated|peak CUDA|peak RSS|dumped|bench_model:|sample failed|Stage profile|^thread|^(decode|model|encode) |GPU busy|model thread busy"
}

if has profile; then
    step "profile"
    bench_run "1080p $prec, speed switches on (defaults), cache 8" --size "$bench1080" --precision "$prec" \
        --pairs 3 --cache 8 --profile 1
    bench_run "1080p $prec, speed switches off" --size "$bench1080" --precision "$prec" --pairs 3 --cache 8 --profile 1 \
        --speed channels_last=0,sdpa=0,cuda_graphs=0,pinned=0
    bench_run "4K $prec, speed switches on, cache 8" --size "$bench4k" --precision "$prec" --pairs 2 --cache 8 --profile 1
fi 2>&1 | tee "$out/profile.txt"

if has speed; then
    step "speed: ms per frame, each candidate on and off"
    for v in "" "--speed channels_last=0" "--speed sdpa=0" "--speed cuda_graphs=0" \
        "--speed channels_last=0,sdpa=0,cuda_graphs=0" "--batch 2" "--batch 4"; do
        # shellcheck disable=SC2086
        bench_run "1080p $prec ${v:-(defaults)}" --size "$bench1080" --precision "$prec" --pairs $((pairs * 2)) \
            --cache 8 $v
    done
    for v in "" "--memory-budget 8000" "--memory-budget 8000 --speed channels_last=0,sdpa=0,cuda_graphs=0"; do
        # shellcheck disable=SC2086
        bench_run "4K $prec ${v:-(untiled)}" --size "$bench4k" --precision "$prec" --pairs 2 --cache 8 $v
    done
fi 2>&1 | tee "$out/speed.txt"

if has drift; then
    step "drift from the CPU fp32 output at $drift (same weights and noise, pair 1)"
    ref_ckpt=()
    [ "$mode" = gpu ] && ref_ckpt=(--checkpoint "$work/random.pth")
    bench_run "cpu fp32 reference" "${ref_ckpt[@]}" --size "$drift" --pairs 2 --device cpu --dump "$work/ref.f32"
    drifts=()
    drift_run() {   # NAME PRECISION [options]
        local name=$1 p=$2
        shift 2
        bench_run "$name" "${ref_ckpt[@]}" --size "$drift" --pairs 2 --precision "$p" "$@" --dump "$work/d_$name.f32"
        drifts+=("$name")
    }
    drift_run fp32_off fp32 --speed channels_last=0,sdpa=0,cuda_graphs=0
    drift_run fp32_on fp32
    if [ "$mode" = gpu ]; then
        drift_run fp16_off fp16 --speed channels_last=0,sdpa=0,cuda_graphs=0
        drift_run fp16_on fp16
        drift_run fp16_cl_only fp16 --speed sdpa=0,cuda_graphs=0
        drift_run fp16_sdpa_only fp16 --speed channels_last=0,cuda_graphs=0
        drift_run fp16_graphs_only fp16 --speed channels_last=0,sdpa=0
        drift_run fp16_on_batch2 fp16 --batch 2
        drift_run fp16_on_tiled fp16 --memory-budget 256
    else
        drift_run fp32_cl_only fp32 --speed channels_last=1
        drift_run fp32_batch2 fp32 --batch 2
        drift_run fp32_tiled fp32 --band-rows 16
    fi
    python3 - "$work" "${drifts[@]}" <<'EOF'
import sys
from array import array
work, names = sys.argv[1], sys.argv[2:]
def load(path):
    a = array("f")
    with open(path, "rb") as f:
        a.frombytes(f.read())
    return a
ref = load(f"{work}/ref.f32")
print("| variant | max abs diff | mean abs diff | share > 1 level (2/255) |")
print("|---|---|---|---|")
for n in names:
    try:
        x = load(f"{work}/d_{n}.f32")
        if len(x) != len(ref):
            raise ValueError(f"{len(x)} values, reference {len(ref)}")
        d = [abs(a - b) for a, b in zip(x, ref)]
        print(f"| {n} | {max(d):.3g} | {sum(d) / len(d):.3g} | {sum(v > 2 / 255 for v in d) / len(d):.4f} |")
    except Exception as e:
        print(f"| {n} | error: {e} | | |")
EOF
fi 2>&1 | tee "$out/drift.txt"

if has side; then
    step "side by side with the official implementation"
    if [ "$mode" = gpu ]; then
        timeout 300 python3 bench/model/official_side_by_side.py --official "$official" --bench "$bench" --work "$work/side" \
            --sizes 1080x1920,2160x3840 --precisions fp16,fp32 --pairs 3 --pairs-4k 2 \
            --port-variant "defaults=" --port-variant "cache 8=--cache 8" --port-variant "cache 8, batch 2=--cache 8 --batch 2"
    elif python3 -c 'import torch' 2>/dev/null; then
        timeout 300 python3 bench/model/official_side_by_side.py --official "$official" --bench "$bench" --work "$work/side" \
            --sizes 256x256 --precisions fp32 --pairs 2 --steps 3 --device cpu --port-variant "defaults=" \
            --port-variant "cache 8, batch 2=--cache 8 --batch 2"
    else
        echo "dry run without PyTorch for python3: official_side_by_side.py only compiled"
        python3 -m py_compile bench/model/official_side_by_side.py bench/model/make_random_checkpoint.py \
            bench/gpu/measure.py && echo "python scripts compile"
    fi
fi 2>&1 | tee "$out/side.txt"
step "round done"
