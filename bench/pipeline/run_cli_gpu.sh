#!/usr/bin/env bash
# The tlbvfi CLI, as users run it, on a GPU machine that has PyTorch but no FFmpeg. FFmpeg (headers and
# libraries) comes from make_cli_bundle.sh, made on the Debian reference machine; the CLI and the model
# library are built here, by one compiler against this machine's LibTorch (CUDA). (A model library
# built here and loaded by the CLI built on Debian failed: each wants its own C++ runtime, see
# docs/benchmarks.md.) The checkpoint is random weights of the official shapes
# (make_random_checkpoint.py). Every line also goes to OUT_DIR/cli_gpu.log.
#   1. NVENC: h264_nvenc and hevc_nvenc jobs (blend backend): the trial open's verdict, or the output;
#   2. TLB-VFI on cuda:0, fp16, 1080p and 4K, libx264: exit, frame count, wall time, verify, peak VRAM;
#   3. the 1080p job killed (SIGKILL) once its first chunk is recorded, then rerun: the chunks kept,
#      and whether its chunk files equal the uninterrupted run's byte for byte.
#   bench/pipeline/run_cli_gpu.sh BUNDLE.tar.xz OFFICIAL_KEYS_TSV OUT_DIR
# SKIP_NVENC=1 leaves out step 1.
set -u
bundle_archive=$1
keys=$2
out=$3
mkdir -p "$out"
exec > >(tee "$out/cli_gpu.log") 2>&1
work=/tmp/vfi_cli_gpu
rm -rf "$work"
mkdir -p "$work/bundle"
bundle=$work/bundle
step() { echo; echo "== $* ($(date +%T))"; }

step "machine"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
grep PRETTY_NAME /etc/os-release
c++ --version | head -1
tar -C "$bundle" -xJf "$bundle_archive" || exit 1
# The bundle's libraries for the CLI alone: cmake and python3 keep the host's (libarchive, libssl...).
cli_path="$bundle/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
cli_bin=$bundle/bin/tlbvfi
cli() { LD_LIBRARY_PATH=$cli_path "$cli_bin" "$@"; }
host_glibc=$(getconf GNU_LIBC_VERSION | awk '{print $2}')
built_glibc=$(grep -o '[0-9]\+\.[0-9]\+$' "$bundle/glibc/VERSION")
echo "glibc: host $host_glibc, bundle built against $built_glibc"
if [ "$(printf '%s\n%s\n' "$host_glibc" "$built_glibc" | sort -V | head -1)" != "$built_glibc" ]; then
    cli() { "$bundle/glibc/ld-linux-x86-64.so.2" --library-path "$bundle/glibc:$cli_path" "$cli_bin" "$@"; }
fi
cli make-sample "$work/s360.mp4" --frames 9 --size 640x360 || exit 1

step "NVENC"
[ -n "${SKIP_NVENC:-}" ] || for enc in h264_nvenc hevc_nvenc; do
    cli interpolate "$work/s360.mp4" -o "$work/$enc.mp4" --backend blend --encoder "$enc" --session "$work/$enc.session"
    echo "$enc: exit $?"
    [ -f "$work/$enc.mp4" ] && cli verify "$work/$enc.mp4" && cli info "$work/$enc.mp4" --no-scan | grep -E "video:|frames:"
done

step "build the CLI and the model library here"
torch_dir=$(python3 -c 'import torch, os; print(os.path.join(torch.utils.cmake_prefix_path, "Torch"))')
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)'
start=$(date +%s)
if ! { PATH=$bundle/dev/bin:$PATH PKG_CONFIG_LIBDIR=$bundle/dev/lib/pkgconfig \
       cmake -S . -B build-gpu-cli -G Ninja -DCMAKE_BUILD_TYPE=Release -DVFI_BUILD_UI=OFF -DVFI_BUILD_TESTS=OFF \
             -DVFI_BUILD_BENCH=OFF -DTorch_DIR="$torch_dir" -Dnlohmann_json_DIR="$bundle/dev/share/cmake/nlohmann_json" \
             -DCMAKE_EXE_LINKER_FLAGS="-Wl,-rpath-link,$bundle/lib" -DCMAKE_SHARED_LINKER_FLAGS="-Wl,-rpath-link,$bundle/lib" &&
       cmake --build build-gpu-cli --target tlbvfi vfi_model -j"$(nproc)"; } >"$work/build.log" 2>&1; then
    grep -E "error|Error" "$work/build.log" | head -30
    tail -5 "$work/build.log"
    exit 1
fi
echo "build: $(($(date +%s) - start)) s"
cli_bin=$PWD/build-gpu-cli/app/tlbvfi
cli() { LD_LIBRARY_PATH=$cli_path "$cli_bin" "$@"; }
export VFI_MODEL_LIBRARY=$PWD/build-gpu-cli/core/src/model/libvfi_model.so
python3 bench/model/make_random_checkpoint.py "$keys" "$work/random.pth" || exit 1

# Peak GPU memory of the whole device (this job is the only user), sampled every 200 ms.
vram_peak() {
    nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 200 >"$work/vram.txt" 2>/dev/null &
    vram_pid=$!
}
vram_done() { kill "$vram_pid" 2>/dev/null; wait "$vram_pid" 2>/dev/null; echo "peak GPU memory used: $(sort -n "$work/vram.txt" | tail -1) MiB"; }

job() {   # NAME SIZE FRAMES [extra options]
    local name=$1 size=$2 frames=$3
    shift 3
    [ -f "$work/$name.src.mp4" ] || cli make-sample "$work/$name.src.mp4" --frames "$frames" --size "$size" >/dev/null
    local t0
    t0=$(date +%s%N)
    cli interpolate "$work/$name.src.mp4" -o "$work/$name.mp4" --backend tlbvfi --model "$work/random.pth" \
        --device cuda:0 --precision fp16 --encoder libx264 --session "$work/$name.session" "$@"
    local rc=$?
    echo "$name: exit $rc, $((($(date +%s%N) - t0) / 1000000)) ms wall"
    return $rc
}

step "TLB-VFI 1080p fp16 (17 frames -> 33)"
vram_peak
job j1080 1920x1080 17 --keep-chunks --chunk-frames 8
vram_done
cli verify "$work/j1080.mp4"; cli info "$work/j1080.mp4" --no-scan | grep -E "video:|frames:|frame rate"

step "TLB-VFI 4K fp16 (5 frames -> 9)"
vram_peak
job j4k 3840x2160 5
vram_done
cli verify "$work/j4k.mp4"; cli info "$work/j4k.mp4" --no-scan | grep -E "video:|frames:"

step "1080p killed once its first chunk is recorded, then rerun"
cp "$work/j1080.src.mp4" "$work/k1080.src.mp4"
job k1080 1920x1080 17 --keep-chunks --chunk-frames 8 &
job_pid=$!
for _ in $(seq 600); do [ -f "$work/k1080.session/chunk_000000.json" ] && break; sleep 0.1; done
pkill -KILL -f "k1080.src.mp4"
wait "$job_pid"
echo "after the kill: $(ls "$work/k1080.session" | tr '\n' ' ')"
job k1080 1920x1080 17 --keep-chunks --chunk-frames 8
cli verify "$work/k1080.mp4"; cli info "$work/k1080.mp4" --no-scan | grep -E "frames:"
for c in "$work"/j1080.session/chunk_*.nut; do
    other=$work/k1080.session/$(basename "$c")
    if cmp -s "$c" "$other"; then echo "$(basename "$c"): identical"; else echo "$(basename "$c"): DIFFERENT"; fi
done
