// `tlbvfi join SESSION_DIR -o OUTPUT [--verify quick|full]`: merges a complete (e.g. render-farm) session.
#include <cstdio>

#include "cli_support.h"
#include "commands.h"
#include "exit_codes.h"

namespace vfi::cli {

const CommandHelp& joinHelp() {
    static const CommandHelp help{
        "join SESSION_DIR -o OUTPUT [options]",
        "Joins a complete session (e.g. rendered with --range on several machines) into OUTPUT; refuses an incomplete one.",
        {
            {"-o, --output", "OUTPUT", "", "the joined file; the container follows the extension"},
            {"--verify", "quick|full", "quick", "check of the joined file before it is renamed into place; full decodes every frame"},
            {"--keep-chunks", "", "off", "keep the session folder after a verified join"},
            {"--overwrite", "", "off", "replace an existing OUTPUT (otherwise exit 4)"},
            {"-h, --help", "", "", "show this help"},
        }};
    return help;
}

int runJoin(int argc, char** argv) {
    Args args(argc, argv, joinHelp().options);
    if (args.helpRequested()) return printHelp(joinHelp());
    if (!args.ok()) return usageError(args.error());
    if (args.positionals().size() != 1) return usageError("join needs exactly one SESSION_DIR");
    const std::string out = args.value("-o", args.value("--output"));
    if (out.empty()) return usageError("join needs -o OUTPUT");
    const auto verify = parseVerifyDepth(args.value("--verify", "quick"));
    if (!verify) return usageError("--verify must be quick or full");
    ProgressPrinter printer;
    auto r = joinSession(args.positionals()[0], out, args.has("--keep-chunks"), &printer, args.has("--overwrite"), *verify);
    printer.finish();
    if (!r) return reportError(r.error());
    for (const auto& w : r->warnings) std::fprintf(stderr, "tlbvfi: warning: %s\n", w.c_str());
    std::printf("output: %s\noutput frames: %lld\n", r->outputPath.c_str(), static_cast<long long>(r->outputFrames));
    return kExitOk;
}

}  // namespace vfi::cli
