// Option tables of the sub-commands: one line per option gives the parser its names and the help
// text its value, default and meaning, so the two cannot drift apart. `tlbvfi --help` prints every
// command's table; `tlbvfi COMMAND --help` (or -h) one.
#pragma once

#include <string>
#include <vector>

namespace vfi::cli {

struct OptionSpec {
    std::string names;        // "--factor", or "-o, --output" (every name is accepted)
    std::string value;        // what follows it ("2|4|8", "PATH"); empty for a flag
    std::string defaultText;  // shown as "(default: …)"; empty: none
    std::string meaning;
};
using OptionTable = std::vector<OptionSpec>;

struct CommandHelp {
    std::string synopsis;     // "interpolate INPUT -o OUTPUT [options]"
    std::string summary;      // a sentence or two
    OptionTable options;
};

// "usage: tlbvfi SYNOPSIS", the summary, then one aligned, wrapped line group per option.
std::string formatHelp(const CommandHelp& help);
// %g of a number, for defaults taken from the settings structs.
std::string numberText(double v);

}  // namespace vfi::cli
