// `tlbvfi verify OUTPUT`: decodes the whole file and checks frames and timestamps.
#include <cstdio>

#include "cli_support.h"
#include "commands.h"
#include "exit_codes.h"

namespace vfi::cli {

const CommandHelp& verifyHelp() {
    static const CommandHelp help{"verify OUTPUT",
                                  "Decodes every frame of OUTPUT and checks the frame count and that timestamps increase.",
                                  {{"-h, --help", "", "", "show this help"}}};
    return help;
}

int runVerify(int argc, char** argv) {
    Args args(argc, argv, verifyHelp().options);
    if (args.helpRequested()) return printHelp(verifyHelp());
    if (!args.ok()) return usageError(args.error());
    if (args.positionals().size() != 1) return usageError("verify needs exactly one file");
    auto r = verifyOutput(args.positionals()[0]);
    if (!r) return reportError(r.error());
    std::printf("video frames: %lld\nduration: %.6f s\ntimestamps monotonic: %s\n", static_cast<long long>(r->videoFrames),
                r->durationSeconds, r->timestampsMonotonic ? "yes" : "no");
    for (const auto& p : r->problems) std::printf("problem: %s\n", p.c_str());
    if (!r->problems.empty()) {
        std::fprintf(stderr, "tlbvfi: error: %s failed verification\n", args.positionals()[0].c_str());
        return kExitVerify;
    }
    std::printf("ok\n");
    return kExitOk;
}

}  // namespace vfi::cli
