// tlbvfi model-check CASE_DIR [--checkpoint PATH] [--config JSON[#SECTION]] [--threads N]
#include <cstdio>
#include <cstdlib>
#include <string>

#include "commands.h"
#include "exit_codes.h"
#include "vfi/model_check.h"

namespace {

void modelCheckUsage() {
    std::fputs("usage: tlbvfi model-check CASE_DIR [--checkpoint PATH] [--config JSON[#SECTION]] [--threads N]\n"
               "  Runs a golden-format case (case.json + .npy) with its recorded noise and prints the\n"
               "  max |diff| per stage against the case's tolerances. Exit 0 only if every stage passes.\n"
               "  Defaults: CASE_DIR/../tiny.pth and CASE_DIR/../tiny-config.json, 1 thread.\n",
               stderr);
}

}  // namespace

int runModelCheck(int argc, char** argv) {
    vfi::ModelCheckOptions o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&](std::string& out) {
            if (i + 1 >= argc) return false;
            out = argv[++i];
            return true;
        };
        std::string threads;
        if (a == "-h" || a == "--help") {
            modelCheckUsage();
            return vfi::cli::kExitOk;
        } else if (a == "--checkpoint") {
            if (!value(o.checkpointPath)) return modelCheckUsage(), vfi::cli::kExitUsage;
        } else if (a == "--config") {
            if (!value(o.configPath)) return modelCheckUsage(), vfi::cli::kExitUsage;
        } else if (a == "--threads") {
            if (!value(threads) || std::atoi(threads.c_str()) < 1) return modelCheckUsage(), vfi::cli::kExitUsage;
            o.threads = std::atoi(threads.c_str());
        } else if (!a.empty() && a[0] != '-' && o.caseDir.empty()) {
            o.caseDir = a;
        } else {
            std::fprintf(stderr, "tlbvfi model-check: unexpected argument '%s'\n", a.c_str());
            modelCheckUsage();
            return vfi::cli::kExitUsage;
        }
    }
    if (o.caseDir.empty()) {
        modelCheckUsage();
        return vfi::cli::kExitUsage;
    }
    auto r = vfi::runModelCheckCase(o);
    if (!r) {
        std::fprintf(stderr, "tlbvfi model-check: %s\n", r.error().message.c_str());
        return vfi::cli::exitCodeFor(r.error());
    }
    std::printf("case %s (config %s, %.1f s)\nmodel library: %s\n", r->caseName.c_str(), r->configName.c_str(), r->seconds,
                vfi::modelLibraryFile().c_str());
    std::printf("%-28s %14s %12s  %s\n", "stage", "max|diff|", "tolerance", "result");
    for (const auto& s : r->stages)
        std::printf("%-28s %14.3g %12.3g  %s%s%s\n", s.name.c_str(), s.maxAbsDiff, s.tolerance, s.pass ? "PASS" : "FAIL",
                    s.note.empty() ? "" : "  ", s.note.c_str());
    std::printf("%s\n", r->allPass ? "ALL PASS" : "FAILED");
    return r->allPass ? vfi::cli::kExitOk : vfi::cli::kExitVerify;
}
