// tlbvfi: command-line front end of the engine. Argument parsing and wiring only.
#include <cstdio>
#include <cstring>
#include <string>

#include "commands.h"
#include "exit_codes.h"
#include "vfi/version.h"

namespace {

// Every command with every option, its default and meaning: the tables the parsers use.
void usage(FILE* out) {
    using namespace vfi::cli;
    std::fputs("usage: tlbvfi <command> [options]     (tlbvfi <command> --help: that command only)\n"
               "       tlbvfi --version\n\n",
               out);
    for (const CommandHelp* h : {&interpolateHelp(), &joinHelp(), &verifyHelp(), &infoHelp(), &modelDownloadHelp(), &makeSampleHelp(),
                                  &statusHelp(), &slurmSubmitHelp(), &slurmJoinHelp()})
        std::fprintf(out, "%s\n", formatHelp(*h).c_str());
    std::fputs("usage: tlbvfi model-check CASE_DIR [options]\n"
               "  Runs a golden test case through the model (tlbvfi model-check --help).\n\n"
               "Exit codes: 0 ok, 1 internal, 2 usage, 3 bad input, 4 output problem, 5 resumable stop,\n"
               "            6 session mismatch/locked, 7 model error, 8 verification failed, 9 download failed\n"
               "            (docs/cli.md).\n",
               out);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        usage(stderr);
        return vfi::cli::kExitUsage;
    }
    const std::string cmd = argv[1];
    if (cmd == "-h" || cmd == "--help") {
        usage(stdout);
        return vfi::cli::kExitOk;
    }
    if (cmd == "--version") {
        std::printf("tlbvfi %s\n", vfi::versionString());
        return vfi::cli::kExitOk;
    }
    const int subArgc = argc - 2;
    char** subArgv = argv + 2;
    using namespace vfi::cli;
    if (cmd == "interpolate") return runInterpolate(subArgc, subArgv);
    if (cmd == "join") return runJoin(subArgc, subArgv);
    if (cmd == "verify") return runVerify(subArgc, subArgv);
    if (cmd == "info") return runInfo(subArgc, subArgv);
    if (cmd == "make-sample") return runMakeSample(subArgc, subArgv);
    if (cmd == "model") return runModel(subArgc, subArgv);
    if (cmd == "status") return runStatus(subArgc, subArgv);
    if (cmd == "slurm") return runSlurm(subArgc, subArgv);
    if (cmd == "model-check") return runModelCheck(argc - 1, argv + 1);
    std::fprintf(stderr, "tlbvfi: unknown command '%s' (tlbvfi --help lists them)\n", cmd.c_str());
    return kExitUsage;
}

// Fallback until/unless cmd_model_check.cpp (model-io) is linked in: its strong definition wins.
__attribute__((weak)) int runModelCheck(int, char**) {
    std::fputs("tlbvfi: model-check is not built in this version\n", stderr);
    return vfi::cli::kExitInternal;
}
