// Sub-commands of `tlbvfi`. Each takes the arguments after the sub-command name and returns an exit
// code (exit_codes.h); each has an option table (cli_help.h) that its parser and --help share.
#pragma once

#include "cli_help.h"

namespace vfi::cli {
int runInterpolate(int argc, char** argv);
int runJoin(int argc, char** argv);
int runVerify(int argc, char** argv);
int runInfo(int argc, char** argv);
int runMakeSample(int argc, char** argv);
int runModel(int argc, char** argv);   // argv[0]: the sub-command ("download")
int runStatus(int argc, char** argv);
int runSlurm(int argc, char** argv);   // argv[0]: the sub-command ("submit", "join")

const CommandHelp& interpolateHelp();
const CommandHelp& joinHelp();
const CommandHelp& verifyHelp();
const CommandHelp& infoHelp();
const CommandHelp& makeSampleHelp();
const CommandHelp& modelDownloadHelp();
const CommandHelp& statusHelp();
const CommandHelp& slurmSubmitHelp();
const CommandHelp& slurmJoinHelp();
}  // namespace vfi::cli

// Implemented in cmd_model_check.cpp (model-io).
int runModelCheck(int argc, char** argv);
