// tlbvfi: command-line front end of the engine. Argument parsing and wiring only.
#include <cstdio>
#include <cstring>
#include <string>

#include "commands.h"
#include "exit_codes.h"

namespace {
void usage() {
    std::fputs(
        "usage: tlbvfi <command> [options]\n"
        "  interpolate INPUT -o OUTPUT [--factor 2|4|8 | --fps RATE] [--backend tlbvfi|blend] [--model PATH]\n"
        "              [--config JSON] [--encoder NAME] [--quality Q] [--pix-fmt F] [--chunk-frames N]\n"
        "              [--session DIR] [--range A:B] [--scene-threshold X] [--device cpu|cuda:N]\n"
        "              [--steps N] [--flow-scale S] [--precision P] [--seed N] [--keep-chunks]\n"
        "              [--overwrite] [--min-free-gb G] [--threads N] [--memory-budget MB]\n"
        "              [--feature-cache N] [--verify quick|full] [--batch N] [--profile]\n"
        "  join SESSION_DIR -o OUTPUT [--keep-chunks] [--overwrite] [--verify quick|full]\n"
        "  verify OUTPUT\n"
        "  info INPUT [--scene-threshold X] [--no-scan]\n"
        "  model-check [options]\n"
        "  make-sample OUT [--frames N] [--size WxH] [--fps R] [--audio]\n"
        "Exit codes: 0 ok, 1 internal, 2 usage, 3 bad input, 4 output problem, 5 resumable stop,\n"
        "            6 session mismatch/locked, 7 model error, 8 verification failed (docs/cli.md).\n",
        stderr);
}
}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "--help")) {
        usage();
        return argc < 2 ? vfi::cli::kExitUsage : vfi::cli::kExitOk;
    }
    const std::string cmd = argv[1];
    const int subArgc = argc - 2;
    char** subArgv = argv + 2;
    using namespace vfi::cli;
    if (cmd == "interpolate") return runInterpolate(subArgc, subArgv);
    if (cmd == "join") return runJoin(subArgc, subArgv);
    if (cmd == "verify") return runVerify(subArgc, subArgv);
    if (cmd == "info") return runInfo(subArgc, subArgv);
    if (cmd == "make-sample") return runMakeSample(subArgc, subArgv);
    if (cmd == "model-check") return runModelCheck(argc - 1, argv + 1);
    std::fprintf(stderr, "tlbvfi: unknown command '%s'\n", cmd.c_str());
    usage();
    return kExitUsage;
}

// Fallback until/unless cmd_model_check.cpp (model-io) is linked in: its strong definition wins.
__attribute__((weak)) int runModelCheck(int, char**) {
    std::fputs("tlbvfi: model-check is not built in this version\n", stderr);
    return vfi::cli::kExitInternal;
}
