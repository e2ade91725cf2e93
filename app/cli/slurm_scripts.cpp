#include "slurm_scripts.h"

#include <filesystem>

namespace vfi::cli {

namespace fs = std::filesystem;

std::string shellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') out += "'\\''";
        else out += c;
    }
    return out + "'";
}

namespace {

std::string commonDirectives(const SlurmScriptSpec& spec) {
    std::string s;
    if (!spec.partition.empty()) s += "#SBATCH --partition=" + spec.partition + "\n";
    if (!spec.time.empty()) s += "#SBATCH --time=" + spec.time + "\n";
    if (!spec.account.empty()) s += "#SBATCH --account=" + spec.account + "\n";
    for (const auto& a : spec.sbatchArgs) s += "#SBATCH " + a + "\n";
    return s;
}

std::string joinedArgs(const std::vector<std::string>& args) {
    std::string s;
    for (const auto& a : args) s += " " + shellQuote(a);
    return s;
}

}  // namespace

std::string renderScript(const SlurmScriptSpec& spec) {
    std::string s = "#!/bin/bash\n"
                    "# Written by `tlbvfi slurm submit`: array task K renders part K of " + std::to_string(spec.tasks) +
                    " of the session (whole chunks [K*C/N, (K+1)*C/N)).\n"
                    "# Resubmitting some tasks: sbatch --array=1,3 <this file>  (recorded chunks are kept).\n"
                    "#SBATCH --job-name=tlbvfi-render\n"
                    "#SBATCH --array=0-" + std::to_string(spec.tasks - 1) + "\n"
                    "#SBATCH --requeue\n"
                    "#SBATCH --signal=B:USR1@120\n"
                    "#SBATCH --open-mode=append\n"
                    "#SBATCH --output=" + (fs::path(spec.logDir) / "render-%A_%a.log").string() + "\n";
    if (spec.gpusPerTask > 0) s += "#SBATCH --gres=gpu:" + std::to_string(spec.gpusPerTask) + "\n";
    s += commonDirectives(spec);
    s += "set -u\n"
         "TLBVFI=" + shellQuote(spec.tlbvfi) + "\n"
         "SESSION=" + shellQuote(spec.session) + "\n"
         "PARTS=" + std::to_string(spec.tasks) + "\n"
         "PART=\"${SLURM_ARRAY_TASK_ID:?render.sbatch runs as a task of a Slurm array (sbatch --array)}\"\n"
         "mkdir -p \"$SESSION/slurm\" && : > \"$SESSION/slurm/render_${SLURM_ARRAY_JOB_ID}\"\n";
    if (spec.pickDevices) {
        // Slurm hides the other GPUs: the visible ones are numbered from 0 inside the task.
        s += "DEVICE=(--device cpu)\n"
             "if [ -n \"${CUDA_VISIBLE_DEVICES:-}\" ] && [ \"$CUDA_VISIBLE_DEVICES\" != NoDevFiles ]; then\n"
             "  n=$(echo \"$CUDA_VISIBLE_DEVICES\" | tr ',' '\\n' | grep -c .)\n"
             "  if [ \"$n\" -gt 1 ]; then DEVICE=(--devices \"$(seq -s, -f 'cuda:%g' 0 $((n - 1)))\"); else DEVICE=(--device cuda:0); fi\n"
             "fi\n";
    } else {
        s += "DEVICE=(--device cpu)   # the blend backend runs on the CPU\n";
    }
    s += "echo \"tlbvfi render: part $PART/$PARTS on $(hostname), ${DEVICE[*]}, restart ${SLURM_RESTART_COUNT:-0}\"\n"
         "# USR1 (near the time limit, or scancel --batch --signal=USR1): stop at the next frame pair; the\n"
         "# finished chunks stay recorded and the requeued task resumes after them.\n"
         "# SIGTERM, not SIGINT: a non-interactive shell starts background commands with SIGINT ignored.\n"
         "STOP=0\n"
         "CHILD=\n"
         "trap 'STOP=1; [ -n \"$CHILD\" ] && kill -TERM \"$CHILD\" 2>/dev/null' USR1\n"
         "\"$TLBVFI\" interpolate " + shellQuote(spec.input) + " -o " + shellQuote(spec.output) +
         " --session \"$SESSION\" --part \"$PART/$PARTS\" \"${DEVICE[@]}\"" + joinedArgs(spec.renderArgs) + " &\n"
         "CHILD=$!\n"
         "while :; do\n"
         "  wait \"$CHILD\"; RC=$?\n"
         "  # wait returns early when the trap runs; keep waiting for the render's own exit.\n"
         "  if [ \"$RC\" -gt 128 ] && kill -0 \"$CHILD\" 2>/dev/null; then continue; fi\n"
         "  break\n"
         "done\n"
         "echo \"tlbvfi render: part $PART/$PARTS exit $RC\"\n"
         "if [ \"$STOP\" = 1 ] && [ \"$RC\" = 5 ]; then\n"
         "  echo \"tlbvfi render: stopped cleanly at the signal; requeueing ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"\n"
         "  scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"\n"
         "fi\n"
         "exit \"$RC\"\n";
    return s;
}

std::string joinScript(const SlurmScriptSpec& spec) {
    std::string s = "#!/bin/bash\n"
                    "# Written by `tlbvfi slurm submit`: joins the session once the render array has ended\n"
                    "# (submitted with --dependency=afterany:<array>). Incomplete: exit 6 and the line that renders the rest.\n"
                    "#SBATCH --job-name=tlbvfi-join\n"
                    "#SBATCH --output=" + (fs::path(spec.logDir) / "join-%j.log").string() + "\n";
    s += commonDirectives(spec);
    s += "set -u\n"
         "TLBVFI=" + shellQuote(spec.tlbvfi) + "\n"
         "SESSION=" + shellQuote(spec.session) + "\n"
         "mkdir -p \"$SESSION/slurm\" && : > \"$SESSION/slurm/join_${SLURM_JOB_ID}\"\n"
         "exec \"$TLBVFI\" slurm join \"$SESSION\" -o " + shellQuote(spec.output) + " --tasks " + std::to_string(spec.tasks) +
         joinedArgs(spec.joinArgs) + "\n";
    return s;
}

std::string resubmitLine(const std::string& sessionDir, const std::vector<int>& parts) {
    std::string list;
    for (int p : parts) list += (list.empty() ? "" : ",") + std::to_string(p);
    const std::string render = shellQuote((fs::path(sessionDir) / "render.sbatch").string());
    const std::string join = shellQuote((fs::path(sessionDir) / "join.sbatch").string());
    return "J=$(sbatch --parsable --array=" + list + " " + render + ") && echo \"render job ${J%%;*}\" && echo \"join job $(sbatch --parsable "
           "--dependency=afterany:${J%%;*} " + join + ")\"";
}

}  // namespace vfi::cli
