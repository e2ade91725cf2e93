// `tlbvfi make-sample OUT`: writes a synthetic clip (used by scripts/run-main.sh without a display).
#include <cstdio>

#include "cli_support.h"
#include "commands.h"
#include "exit_codes.h"
#include "vfi/source_analysis.h"

namespace vfi::cli {

const CommandHelp& makeSampleHelp() {
    static const CommandHelp help = [] {
        const SampleClipSpec d;
        return CommandHelp{
            "make-sample OUT [options]",
            "Writes a synthetic H.264 clip (moving gradient and block) to OUT, e.g. to try interpolate without a video.",
            {
                {"--frames", "N", std::to_string(d.frames), "number of frames (1..100000)"},
                {"--size", "WxH", std::to_string(d.width) + "x" + std::to_string(d.height), "frame size, even, 16..8192"},
                {"--fps", "N[/D]", std::to_string(d.fpsNum) + "/" + std::to_string(d.fpsDen), "frame rate"},
                {"--audio", "", "off", "add a stereo AAC sine tone as long as the video"},
                {"-h, --help", "", "", "show this help"},
            }};
    }();
    return help;
}

int runMakeSample(int argc, char** argv) {
    Args args(argc, argv, makeSampleHelp().options);
    if (args.helpRequested()) return printHelp(makeSampleHelp());
    if (!args.ok()) return usageError(args.error());
    if (args.positionals().size() != 1) return usageError("make-sample needs exactly one OUT path");
    SampleClipSpec spec;
    if (args.has("--frames")) {
        auto v = parseInt(args.value("--frames"));
        if (!v || *v < 1 || *v > 100000) return usageError("--frames must be between 1 and 100000");
        spec.frames = static_cast<int>(*v);
    }
    if (args.has("--size")) {
        const std::string s = args.value("--size");
        const auto x = s.find('x');
        auto w = parseInt(s.substr(0, x));
        auto h = x == std::string::npos ? std::optional<long long>() : parseInt(s.substr(x + 1));
        if (!w || !h || *w < 16 || *h < 16 || *w > 8192 || *h > 8192 || (*w % 2) || (*h % 2))
            return usageError("--size must be WxH, even, 16..8192");
        spec.width = static_cast<int>(*w);
        spec.height = static_cast<int>(*h);
    }
    if (args.has("--fps")) {
        const std::string s = args.value("--fps");
        const auto slash = s.find('/');
        auto n = parseInt(s.substr(0, slash));
        auto d = slash == std::string::npos ? std::optional<long long>(1) : parseInt(s.substr(slash + 1));
        if (!n || !d || *n <= 0 || *d <= 0) return usageError("--fps must be N or N/D");
        spec.fpsNum = static_cast<int>(*n);
        spec.fpsDen = static_cast<int>(*d);
    }
    spec.audio = args.has("--audio");
    auto st = makeSampleClip(args.positionals()[0], spec);
    if (!st) return reportError(st.error());
    std::printf("wrote %s (%d frames, %dx%d, %d/%d fps%s)\n", args.positionals()[0].c_str(), spec.frames, spec.width,
                spec.height, spec.fpsNum, spec.fpsDen, spec.audio ? ", AAC audio" : "");
    return kExitOk;
}

}  // namespace vfi::cli
