// The two job scripts `tlbvfi slurm submit` writes into a session (docs/farm.md):
//   render.sbatch: an array 0..N-1; task K runs `tlbvfi interpolate --part K/N` on the GPUs Slurm gave
//     it (CUDA_VISIBLE_DEVICES; the CPU on a node without), requeueable, and on USR1 (sent 120 s
//     before the time limit, or by `scancel --batch --signal=USR1`) stops cleanly (exit 5) and
//     requeues itself with `scontrol requeue`; the rerun resumes from the recorded chunks.
//   join.sbatch: submitted with --dependency=afterany:<array>; runs `tlbvfi slurm join`, which joins a
//     complete session, else exits 6 printing the missing chunks and the line that renders only them.
#pragma once

#include <string>
#include <vector>

namespace vfi::cli {

struct SlurmScriptSpec {
    std::string tlbvfi;                    // absolute path of the tlbvfi executable on the nodes
    std::string input, output, session;    // absolute paths, the same on every node
    std::string logDir;                    // Slurm's --output files (outside the session: a join removes it)
    int tasks = 1;
    int gpusPerTask = 0;
    bool pickDevices = true;               // false: blend backend, always the CPU
    std::string partition, time, account;
    std::vector<std::string> sbatchArgs;   // extra #SBATCH lines, as given
    std::vector<std::string> renderArgs;   // interpolate options, each element one argument
    std::vector<std::string> joinArgs;     // slurm join options (--verify, --keep-chunks, --overwrite)
};

std::string shellQuote(const std::string& s);
std::string renderScript(const SlurmScriptSpec& spec);
std::string joinScript(const SlurmScriptSpec& spec);

// The shell line that renders only the given array parts of the session's render.sbatch and then
// submits its join.sbatch after them; printed by `tlbvfi slurm join` for an incomplete session.
std::string resubmitLine(const std::string& sessionDir, const std::vector<int>& parts);

}  // namespace vfi::cli
