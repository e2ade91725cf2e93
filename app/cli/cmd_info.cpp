// `tlbvfi info INPUT`: probe, exact frame count from the index, and scene cuts.
#include <cstdio>

#include "cli_support.h"
#include "commands.h"
#include "exit_codes.h"
#include "vfi/source_analysis.h"

namespace vfi::cli {

const CommandHelp& infoHelp() {
    static const CommandHelp help{
        "info INPUT [options]",
        "Prints container, streams, colour tags, the exact frame count from an index pass, and the scene cuts "
        "interpolate would find.",
        {
            {"--scene-threshold", "X", numberText(JobSettings{}.sceneThreshold), "0..1; 0 skips the scene-cut scan"},
            {"--no-scan", "", "off", "skip the scene-cut scan (no decode)"},
            {"-h, --help", "", "", "show this help"},
        }};
    return help;
}

int runInfo(int argc, char** argv) {
    Args args(argc, argv, infoHelp().options);
    if (args.helpRequested()) return printHelp(infoHelp());
    if (!args.ok()) return usageError(args.error());
    if (args.positionals().size() != 1) return usageError("info needs exactly one INPUT");
    double threshold = JobSettings{}.sceneThreshold;
    if (args.has("--scene-threshold")) {
        auto v = parseDouble(args.value("--scene-threshold"));
        if (!v || *v < 0 || *v > 1) return usageError("--scene-threshold must be between 0 and 1");
        threshold = *v;
    }
    auto r = analyzeSource(args.positionals()[0], threshold, !args.has("--no-scan") && threshold > 0);
    if (!r) return reportError(r.error());
    const MediaInfo& m = r->info;
    // The video's duration comes from the frame index (exact); the container's field is shown apart:
    // it is rounded, and covers audio or subtitles that outlast the video.
    std::printf("file: %s\ncontainer: %s\nsize: %lld bytes\nduration: %.6f s\ncontainer duration: %.3f s\n", m.path.c_str(),
                m.container.c_str(), static_cast<long long>(m.fileBytes), r->durationSeconds, m.durationSeconds);
    std::printf("video: %s %dx%d %s (%d-bit)\nframe rate: %d/%d (avg %d/%d)\ntime base: %d/%d\n", m.codec.c_str(), m.width,
                m.height, m.pixFmt.c_str(), m.bitDepth, m.frameRate.num, m.frameRate.den, m.averageFrameRate.num,
                m.averageFrameRate.den, m.timeBase.num, m.timeBase.den);
    std::printf("frames: %lld\nvariable frame rate: %s\nfirst frame: %.6f s\nlast frame: %.6f s\n",
                static_cast<long long>(r->frames), r->variableFrameRate ? "yes" : "no", r->firstFrameSeconds,
                r->lastFrameSeconds);
    // What --fps compares against: the index's exact rate (constant) or its average (variable).
    if (r->constantFrameRate.num > 0)
        std::printf("index frame rate: %d/%d (%.3f fps, constant)\n", r->constantFrameRate.num, r->constantFrameRate.den,
                    r->constantFrameRate.toDouble());
    else if (r->averageFrameRate > 0)
        std::printf("index frame rate: %.3f fps average (variable)\n", r->averageFrameRate);
    if (r->averageFrameRate > 0)
        std::printf("--fps range: above %.3f up to %.3f fps (8x)\n", r->averageFrameRate, 8 * r->averageFrameRate);
    std::printf("colour: primaries %s, transfer %s, matrix %s, range %s%s\n", m.colour.primaries.c_str(),
                m.colour.transfer.c_str(), m.colour.matrix.c_str(), m.colour.range.c_str(), m.colour.hdr ? " (HDR)" : "");
    if (m.rotationDegrees != 0) std::printf("rotation: %.0f\n", m.rotationDegrees);
    for (const auto& s : m.otherStreams)
        std::printf("stream %d: %s %s%s%s start %+.3f s\n", s.index, s.kind.c_str(), s.codec.c_str(),
                    s.language.empty() ? "" : " ", s.language.c_str(), s.startSeconds);
    std::printf("chapters: %d\n", m.chapterCount);
    if (r->scannedScenes) {
        std::printf("scene cuts (threshold %.2f): %zu\n", threshold, r->sceneCuts.size());
        for (auto c : r->sceneCuts) std::printf("scene cut: after frame %lld\n", static_cast<long long>(c));
    } else {
        std::printf("scene cuts: not scanned\n");
    }
    return kExitOk;
}

}  // namespace vfi::cli
