// Sub-commands of `tlbvfi`. Each takes the arguments after the sub-command name and returns an exit
// code (exit_codes.h).
#pragma once

namespace vfi::cli {
int runInterpolate(int argc, char** argv);
int runJoin(int argc, char** argv);
int runVerify(int argc, char** argv);
int runInfo(int argc, char** argv);
int runMakeSample(int argc, char** argv);
}  // namespace vfi::cli

// Implemented in cmd_model_check.cpp (model-io).
int runModelCheck(int argc, char** argv);
