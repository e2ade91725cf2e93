// `tlbvfi status SESSION [--json]`: where a session stands (vfi/session_report.h). Exit 0 when every
// chunk is recorded, 5 (resumable) otherwise, so scripts can wait on it.
#include <cstdio>
#include <string>

#include "cli_support.h"
#include "commands.h"
#include "exit_codes.h"
#include "vfi/session_report.h"

namespace vfi::cli {

const CommandHelp& statusHelp() {
    static const CommandHelp help{
        "status SESSION_DIR [--json]",
        "Shows a session's progress: chunks done and missing, live range locks (host, pid, devices, heartbeat), the rate "
        "and ETA from the chunk records, and its Slurm jobs with their states. Exit 0 when complete, 5 otherwise.",
        {
            {"--json", "", "off", "print the report as JSON (docs/cli.md)"},
            {"--no-slurm", "", "off", "do not ask squeue/sacct for the states of the session's Slurm jobs"},
            {"-h, --help", "", "", "show this help"},
        }};
    return help;
}

namespace {

std::string framesPerSecondText(double fps) {
    char buf[64];
    std::snprintf(buf, sizeof buf, fps >= 10 ? "%.1f" : "%.3g", fps);
    return buf;
}

void printText(const SessionReport& r) {
    std::printf("session: %s\n", r.sessionDir.c_str());
    std::printf("input: %s\n", r.inputPath.c_str());
    const double pct = r.chunksTotal > 0 ? 100.0 * r.chunksDone / r.chunksTotal : 0;
    std::printf("chunks: %d/%d done (%.1f %%), output frames %lld/%lld%s\n", r.chunksDone, r.chunksTotal, pct,
                static_cast<long long>(r.outputFramesDone), static_cast<long long>(r.outputFramesTotal), r.complete() ? ", complete" : "");
    for (const auto& m : r.missing)
        std::printf("missing: chunks %d-%d (source frames %lld-%lld)\n", m.firstChunk, m.lastChunk, static_cast<long long>(m.sourceBegin),
                    static_cast<long long>(m.sourceEnd - 1));
    if (r.outputFramesPerSecond > 0) {
        std::printf("rate: %s output frames/s", framesPerSecondText(r.outputFramesPerSecond).c_str());
        if (r.etaSeconds >= 0) std::printf(", ETA %s%s", formatDuration(r.etaSeconds).c_str(), r.liveLocks() == 0 ? " (nothing is rendering now)" : "");
        std::printf("\n");
    } else if (!r.complete()) {
        std::printf("rate: unknown (fewer than two chunks finished within an hour)\n");
    }
    std::printf("locks: %d live of %zu\n", r.liveLocks(), r.locks.size());
    for (const auto& l : r.locks)
        std::printf("  chunks %d-%d: host %s, pid %ld%s%s, heartbeat %.0f s ago, %s\n", l.firstChunk, l.lastChunk,
                    l.host.empty() ? "?" : l.host.c_str(), l.pid, l.devices.empty() ? "" : ", devices ", l.devices.c_str(),
                    l.heartbeatAgeSeconds, l.live ? "live" : "stale (the next render of these chunks takes it over)");
    for (const auto& j : r.slurmJobs)
        std::printf("slurm: %s job %s: %s\n", j.kind.c_str(), j.id.c_str(), j.state.empty() ? "state unknown (not in squeue/sacct)" : j.state.c_str());
}

}  // namespace

int runStatus(int argc, char** argv) {
    Args args(argc, argv, statusHelp().options);
    if (args.helpRequested()) return printHelp(statusHelp());
    if (!args.ok()) return usageError(args.error());
    if (args.positionals().size() != 1) return usageError("status needs exactly one SESSION_DIR");
    auto report = readSessionReport(args.positionals()[0]);
    if (!report) return reportError(report.error());
    if (!args.has("--no-slurm")) querySlurmStates(report->slurmJobs);
    if (args.has("--json")) std::printf("%s\n", sessionReportJson(*report).c_str());
    else printText(*report);
    return report->complete() ? kExitOk : kExitResumable;
}

}  // namespace vfi::cli
