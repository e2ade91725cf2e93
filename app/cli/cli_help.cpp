#include "cli_help.h"

#include <cstdio>
#include <sstream>

namespace vfi::cli {

namespace {

constexpr size_t kWidth = 100;
constexpr size_t kMeaningColumn = 32;

// Appends `text` (the cursor is at `indent`) wrapped at kWidth, continuation lines indented alike.
void appendWrapped(std::string& out, size_t indent, const std::string& text) {
    std::istringstream words(text);
    std::string word;
    size_t column = indent;
    while (words >> word) {
        if (column > indent && column + 1 + word.size() > kWidth) {
            out += "\n" + std::string(indent, ' ');
            column = indent;
        } else if (column > indent) {
            out += ' ';
            ++column;
        }
        out += word;
        column += word.size();
    }
}

}  // namespace

std::string numberText(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

std::string formatHelp(const CommandHelp& help) {
    std::string out = "usage: tlbvfi " + help.synopsis + "\n";
    out += "  ";
    appendWrapped(out, 2, help.summary);
    out += "\n";
    if (!help.options.empty()) out += "options:\n";
    for (const OptionSpec& o : help.options) {
        std::string line = "  " + o.names + (o.value.empty() ? "" : " " + o.value);
        if (line.size() + 1 >= kMeaningColumn) {
            out += line + "\n";
            line.clear();
        }
        line.resize(kMeaningColumn, ' ');
        out += line;
        appendWrapped(out, kMeaningColumn, o.meaning + (o.defaultText.empty() ? "" : " (default: " + o.defaultText + ")"));
        out += "\n";
    }
    return out;
}

}  // namespace vfi::cli
