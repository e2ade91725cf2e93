// What a TLB-VFI job sets for the whole process, and the devices it can use. Torch-free header.
//
// LibTorch keeps its intra-op thread count and the TF32/cuDNN flags per process, so they are set
// once per job (configureProcess, on the job's thread, before its device workers start), never by
// an interpolator's load(): with several workers, per-worker writes of process state would race.
// The thread count is the one each CPU worker thread gets: with the OpenMP backend (Debian's and
// the official builds) every thread that runs parallel work has its own team of that size, which an
// interpolator applies to its worker thread when it loads (at::init_num_threads).
#pragma once

#include <vector>

#include "vfi/compute_devices.h"
#include "vfi/job_settings.h"
#include "vfi/result.h"

namespace vfi::model {

// intraOpThreadsPerWorker > 0: the intra-op threads of each worker thread created after this call.
// CUDA devices: TF32 for precision tf32, cuDNN deterministic/benchmark from options.deterministic.
Status configureProcess(const ModelOptions& options, int intraOpThreadsPerWorker);
// Whether configureProcess ran in this process.
bool processConfigured();
// Gives the calling thread the intra-op thread count configureProcess set (OpenMP keeps it per
// thread); serialised, since LibTorch rebuilds its shared thread pool on the way.
void applyThreadsToThisThread();

// How glibc serves the CPU model's tensors, a process-wide choice (no-op without glibc):
// - Keep (frames the decoder computes whole; also from load() until the first frame): large blocks
//   come from the heap and stay with the process when freed. By default glibc maps each block above
//   its threshold afresh and unmaps it on free, so every tensor pays zeroed page faults and parallel
//   CPU workers queue on the process's memory map. 720p, tiny model, --threads 1: 26.8 s instead of
//   33.3 s (glibc's defaults) and 40.6 s (Return), peak RSS 3048 MiB instead of 2599 / 2216 MiB; two
//   CPU workers finish in the one worker's CPU seconds / 2 (bench_cpu_memory.sh, bench_devices.sh,
//   docs/benchmarks.md).
// - Return (frames the decoder computes in bands, because the memory plan found memory short):
//   blocks above 1 MiB are mapped and unmapped, so dead band tensors cannot fragment the heap (peak
//   RSS 594 MB instead of 1074 MB at 512² with a 512 MB plan).
// Either way release() and the interpolator's end hand free memory back (malloc_trim).
// VFI_CPU_MEMORY=keep|return|system overrides the choice; system leaves glibc (and GLIBC_TUNABLES) alone.
enum class CpuMemoryPolicy { Keep, Return };
void applyCpuMemoryPolicy(CpuMemoryPolicy wanted);

// CUDA devices as "cuda:N" with the driver's name and total memory (empty without CUDA), then "mps"
// where LibTorch has it.
std::vector<ComputeDevice> listDevices();

}  // namespace vfi::model
