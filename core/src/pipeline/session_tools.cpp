// inspectSession, defaultSessionDir, joinSession and the join of a complete session.
#include <algorithm>
#include <cstdio>
#include <filesystem>

extern "C" {
#include <libavutil/pixdesc.h>
}

#include "media/joiner.h"
#include "pipeline/file_util.h"
#include "pipeline/json_fields.h"
#include "pipeline/job_context.h"
#include "pipeline/output_timing.h"
#include "pipeline/session_lock.h"
#include "pipeline/test_hooks.h"
#include "vfi/log.h"

namespace vfi::pipeline {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {
// Room beyond the chunks' bytes that a join asks for (plus 1 %): the container's index and headers,
// the source's audio and subtitles for a typical clip.
constexpr int64_t kJoinMarginBytes = 1 << 20;
// What a join's lock file takes: one filesystem block.
constexpr int64_t kLockFileBytes = 4096;
}  // namespace

std::string indexHash(const SourceIndex& idx) {
    std::string s = std::to_string(idx.timeBase.num) + "/" + std::to_string(idx.timeBase.den) + ":" + std::to_string(idx.lastDuration);
    for (int64_t p : idx.pts) s += "," + std::to_string(p);
    return sha256Hex(s);
}

Status writeSessionIndex(const Session& s, const SourceIndex& idx) {
    const std::string path = (fs::path(s.dir()) / "index.json").string();
    std::error_code ec;
    if (fs::exists(path, ec)) {
        // index.json is derived from the source: a damaged one is written again from this run's index.
        auto stored = readSessionIndex(s);
        if (stored && indexHash(stored.value()) == indexHash(idx)) return {};
        logWarning((stored ? path + " does not match the source's index" : stored.error().message) + "; written again from the source");
    }
    json j = {{"timeBase", {idx.timeBase.num, idx.timeBase.den}}, {"lastDuration", idx.lastDuration}, {"pts", idx.pts},
              {"width", idx.width}, {"height", idx.height}, {"pixFmt", idx.pixFmt}, {"bitDepth", idx.bitDepth},
              {"colour", {idx.colour.primaries, idx.colour.transfer, idx.colour.matrix, idx.colour.range}},
              {"rotation", idx.rotationDegrees}, {"fps", idx.fps}, {"vfr", idx.variableFrameRate}};
    return writeFileAtomic(path, j.dump());
}

Result<SourceIndex> readSessionIndex(const Session& s) {
    const std::string path = (fs::path(s.dir()) / "index.json").string();
    VFI_ASSIGN_OR_RETURN(std::string text, readFileText(path));
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded()) return makeError(ErrorCode::SessionIncomplete, "session file " + path + " is damaged (not valid JSON)", {"index.json"});
    SourceIndex idx;
    try {
        const json& tb = j.at("timeBase");
        if (!tb.is_array() || tb.size() != 2) throw std::invalid_argument("\"timeBase\" is not a fraction");
        idx.timeBase = {jsonInteger<int>(tb[0], "\"timeBase\""), jsonInteger<int>(tb[1], "\"timeBase\"")};
        idx.lastDuration = integerAt(j, "lastDuration");
        idx.pts = integerList(j.at("pts"), "\"pts\"");
        idx.width = integerAt<int>(j, "width");
        idx.height = integerAt<int>(j, "height");
        idx.pixFmt = j["pixFmt"].get<std::string>();
        idx.bitDepth = integerAt<int>(j, "bitDepth");
        idx.colour.primaries = j["colour"][0].get<std::string>();
        idx.colour.transfer = j["colour"][1].get<std::string>();
        idx.colour.matrix = j["colour"][2].get<std::string>();
        idx.colour.range = j["colour"][3].get<std::string>();
        idx.rotationDegrees = j["rotation"].get<double>();
        idx.fps = j["fps"].get<double>();
        idx.variableFrameRate = j["vfr"].get<bool>();
    } catch (const std::exception& e) {
        return makeError(ErrorCode::SessionIncomplete, "session file " + path + " is damaged (" + e.what() + ")", {"index.json"});
    }
    if (idx.pts.size() < 1 || idx.timeBase.num <= 0 || idx.timeBase.den <= 0 || !std::is_sorted(idx.pts.begin(), idx.pts.end()) ||
        indexHash(idx) != s.identity().source.indexHash)
        return makeError(ErrorCode::SessionIncomplete, "session file " + path + " is damaged (its frame timestamps are not the session's)",
                         {"index.json"});
    return idx;
}

std::string frameRateKey(Rational rate) { return std::to_string(rate.num) + "/" + std::to_string(rate.den); }

std::optional<Rational> sessionTargetFps(const Session& s) {
    const auto it = s.identity().settings.find("targetFps");
    if (it == s.identity().settings.end() || !it->is_string()) return std::nullopt;
    return parseFrameRate(it->get<std::string>());
}

Result<std::shared_ptr<const FrameSelection>> resolveTargetFps(JobSettings& s, const SourceIndex& idx,
                                                               const std::function<void(const std::string&)>& say) {
    if (!s.targetFps) return std::shared_ptr<const FrameSelection>();
    const Rational rate = *s.targetFps;
    if (const int f = FrameSelection::exactFactor(idx.pts, idx.timeBase, rate)) {
        say("target " + FrameSelection::describe(rate) + " is exactly " + std::to_string(f) + "x the source's " +
            FrameSelection::describe(FrameSelection::constantRate(idx.pts, idx.timeBase)) + ": rendering as --factor " + std::to_string(f));
        s.factor = f;
        s.targetFps.reset();
        return std::shared_ptr<const FrameSelection>();
    }
    VFI_ASSIGN_OR_RETURN(FrameSelection sel, FrameSelection::plan(idx.pts, idx.lastDuration, idx.timeBase, rate));
    char err[32];
    std::snprintf(err, sizeof err, "%.2f", sel.maxErrorSeconds() * 1000.0);
    say("target " + FrameSelection::describe(rate) + ": " + std::to_string(sel.outputFrames()) + " frames on the " +
        std::to_string(sel.factor()) + "x bisection grid, each the grid frame nearest its time (at most " + err + " ms away)");
    s.factor = sel.factor();
    return std::make_shared<const FrameSelection>(std::move(sel));
}

Result<std::shared_ptr<const FrameSelection>> selectionFor(const Session& s, const SourceIndex& idx) {
    const auto rate = sessionTargetFps(s);
    if (!rate) return std::shared_ptr<const FrameSelection>();
    VFI_ASSIGN_OR_RETURN(FrameSelection sel, FrameSelection::plan(idx.pts, idx.lastDuration, idx.timeBase, *rate));
    return std::make_shared<const FrameSelection>(std::move(sel));
}

ChunkPlan planFor(const Session& s, std::shared_ptr<const FrameSelection> selection) {
    if (selection) return ChunkPlan(std::move(selection), s.identity().chunkFrames);
    return ChunkPlan(s.identity().source.frames, s.identity().factor, s.identity().chunkFrames);
}

Result<ChunkPlan> planFor(const Session& s) {
    if (!sessionTargetFps(s)) return planFor(s, nullptr);
    VFI_ASSIGN_OR_RETURN(SourceIndex idx, readSessionIndex(s));
    VFI_ASSIGN_OR_RETURN(auto selection, selectionFor(s, idx));
    return planFor(s, std::move(selection));
}

OutputClock outputClock(const SourceIndex& idx, int factor, std::shared_ptr<const FrameSelection> selection) {
    if (selection) {
        const Rational tb = selection->outputTimeBase();
        return {OutputTiming(std::move(selection)), tb, 1};
    }
    return {OutputTiming(idx.pts, idx.lastDuration, factor), {idx.timeBase.num, idx.timeBase.den * factor}, idx.lastDuration * factor};
}

bool recordMatchesFile(const Session& s, const ChunkRecord& r) {
    const std::string path = (fs::path(s.dir()) / r.file).string();
    std::error_code ec;
    if (!fs::exists(path, ec) || static_cast<int64_t>(fs::file_size(path, ec)) != r.bytes) return false;
    return fileMatchesContentHash(path, r.contentHash);
}

namespace {
// The session's index.json, or, when it is damaged, the source's index written again (the same
// frames as the session's identity says, or the source changed and nothing can be joined).
Result<SourceIndex> sessionIndexOrRebuild(const Session& s, const std::string& sourcePath) {
    auto stored = readSessionIndex(s);
    if (stored) return stored;
    auto fresh = indexSource(sourcePath);
    if (!fresh || indexHash(fresh.value()) != s.identity().source.indexHash)
        return makeError(ErrorCode::SessionIncomplete,
                         stored.error().message + " and the source " + sourcePath + " cannot replace it (" +
                             (fresh ? std::string("its frames are not the session's") : fresh.error().message) +
                             "); restore index.json or rerun the interpolate command of this session, which writes it again",
                         {"index.json"});
    VFI_TRY(writeSessionIndex(s, fresh.value()));
    logWarning(stored.error().message + "; written again from the source " + sourcePath);
    return fresh;
}
}  // namespace

Result<JobSummary> joinCompleteSession(const Session& s, const std::string& outputPath, bool keepChunks, bool overwrite,
                                       JobObserver* observer, const std::string& inputPathOverride, VerifyDepth verify) {
    VFI_ASSIGN_OR_RETURN(SourceIndex idx, sessionIndexOrRebuild(s, inputPathOverride.empty() ? s.identity().inputPath : inputPathOverride));
    VFI_ASSIGN_OR_RETURN(auto selection, selectionFor(s, idx));
    const ChunkPlan plan = planFor(s, selection);
    std::vector<std::string> damaged;
    auto records = s.scanRecords(&damaged);
    std::vector<std::string> missing;
    for (int k = 0; k < plan.chunkCount(); ++k) {
        auto it = records.find(k);
        if (it == records.end() || !recordMatchesFile(s, it->second)) missing.push_back(std::to_string(k));
    }
    if (!missing.empty()) {
        std::string list;
        for (size_t i = 0; i < missing.size() && i < 20; ++i) list += (i ? "," : "") + missing[i];
        if (missing.size() > 20) list += ",...";
        std::string damagedList;
        for (const std::string& d : damaged) damagedList += (damagedList.empty() ? "" : ", ") + d;
        return makeError(ErrorCode::SessionIncomplete,
                         "session " + s.dir() + " is incomplete: " + std::to_string(missing.size()) + " of " +
                             std::to_string(plan.chunkCount()) + " chunks missing or invalid (" + list + ")" +
                             (damagedList.empty() ? "" : "; damaged records: " + damagedList) +
                             "; nothing was joined or deleted. Run the session's interpolate command again (or the --range runs "
                             "that cover those chunks) to render them, then join",
                         {list});
    }
    const std::string extradata = records.begin()->second.extradataHash;
    const std::string encSettings = records.begin()->second.encoderSettingsHash;
    for (const auto& [k, r] : records) {
        if (k >= plan.chunkCount()) continue;
        if (r.extradataHash != extradata || r.encoderSettingsHash != encSettings)
            return makeError(ErrorCode::ChunkInvalid, "chunk " + r.file + " was encoded with different encoder parameters; refusing to join",
                             {r.file, "extradata/settings differ"});
    }
    // The joined file holds every chunk's bytes, the source's other streams and a container index;
    // a join that cannot fit is refused before it starts instead of failing half way. The chunks are
    // deleted only after the joined file is complete, so the same volume needs room for both.
    int64_t chunkBytes = 0;
    for (int k = 0; k < plan.chunkCount(); ++k) chunkBytes += records[k].bytes;
    const int64_t joinNeeded = chunkBytes + chunkBytes / 100 + kJoinMarginBytes;
    const std::string outDir = fs::absolute(outputPath).parent_path().string();
    if (const int64_t freeBytes = freeDiskBytes(outDir); freeBytes >= 0 && freeBytes < joinNeeded)
        return makeError(ErrorCode::DiskFull,
                         "not enough free space to join " + outputPath + ": " + megabytes(freeBytes) + " free in " + outDir + ", about " +
                             megabytes(joinNeeded) + " needed (the chunks hold " + megabytes(chunkBytes) +
                             "); free space or join to another disk, then rerun; nothing was joined or deleted",
                         {outDir, std::to_string(joinNeeded), std::to_string(freeBytes)});
    const OutputClock clock = outputClock(idx, plan.factor(), selection);
    const OutputTiming& timing = clock.timing;
    media::JoinPlan jp;
    jp.outputPath = outputPath;
    jp.outputTimeBase = clock.timeBase;
    jp.lastFrameDuration = clock.lastFrameDuration;
    jp.sourcePath = inputPathOverride.empty() ? s.identity().inputPath : inputPathOverride;
    jp.colour = idx.colour;
    // RGB output (FFV1 gbrp10le) has no YUV matrix and is full range; the chunks (NUT, FFV1) cannot
    // say so, and the source's YUV tags would be wrong on it.
    if (const auto* d = av_pix_fmt_desc_get(av_get_pix_fmt(s.identity().settings.value("pixFmt", std::string()).c_str()));
        d && (d->flags & AV_PIX_FMT_FLAG_RGB)) {
        jp.colour.matrix = "gbr";
        jp.colour.range = "pc";
    }
    jp.rotationDegrees = idx.rotationDegrees;
    jp.pixelFormat = s.identity().settings.value("pixFmt", std::string());
    jp.overwrite = overwrite;
    jp.verify = verify;
    JobSummary sum;
    for (int k = 0; k < plan.chunkCount(); ++k) {
        const ChunkSpan span = plan.chunk(k);
        media::JoinChunk c;
        c.path = (fs::path(s.dir()) / records[k].file).string();
        for (int64_t j = span.outputBegin; j < span.outputEnd; ++j) c.pts.push_back(timing.pts(j));
        jp.chunks.push_back(std::move(c));
        sum.sceneCuts.insert(sum.sceneCuts.end(), records[k].sceneCuts.begin(), records[k].sceneCuts.end());
    }
    const bool killDuringJoin = killHookArmed("during-join");
    jp.progress = [observer, killDuringJoin](int64_t done, int64_t total) {
        if (killDuringJoin && done * 2 >= total) killHook("during-join");
        if (observer) {
            Progress p;
            p.phase = JobPhase::Joining;
            p.outputFramesTotal = total;
            p.outputFramesDone = done;
            p.message = "joining";
            observer->onProgress(p);
        }
    };
    if (observer) observer->onStateChanged(JobState::Joining);
    auto joined = media::joinChunks(jp);
    if (!joined) return completeDiskFull(joined.takeError(), outDir, joinNeeded);
    const media::JoinResult& jr = joined.value();
    if (observer) observer->onStateChanged(JobState::Verifying);
    // joinChunks checked the file at `verify` depth before renaming it into place; a second full
    // decode of the same bytes here was a third of an FFV1 job's time (docs/benchmarks.md).
    if (jr.videoFrames != plan.outputFrames())
        return makeError(ErrorCode::VerifyFailed,
                         "joined file " + jr.outputPath + " has " + std::to_string(jr.videoFrames) + " frames, planned " +
                             std::to_string(plan.outputFrames()) + "; chunks kept",
                         {jr.outputPath, "frame count"});
    sum.outputPath = jr.outputPath;
    sum.sessionDir = s.dir();
    sum.sourceFrames = plan.sourceFrames();
    sum.outputFrames = jr.videoFrames;
    sum.warnings = jr.warnings;
    std::sort(sum.sceneCuts.begin(), sum.sceneCuts.end());
    if (!keepChunks) {
        std::error_code ec;
        fs::remove_all(s.dir(), ec);
    }
    return sum;
}

}  // namespace vfi::pipeline

namespace vfi {

std::string defaultSessionDir(const std::string& outputPath) { return outputPath + ".tlbvfi"; }

Result<SessionStatus> inspectSession(const std::string& sessionDir) {
    SessionStatus st;
    std::error_code ec;
    if (!std::filesystem::exists(std::filesystem::path(sessionDir) / "session.json", ec)) return st;
    VFI_ASSIGN_OR_RETURN(pipeline::Session s, pipeline::Session::open(sessionDir));
    VFI_ASSIGN_OR_RETURN(const pipeline::ChunkPlan plan, pipeline::planFor(s));
    st.exists = true;
    st.chunksTotal = plan.chunkCount();
    for (const auto& [k, r] : s.scanRecords()) {
        if (k >= plan.chunkCount()) continue;
        ++st.chunksDone;
        st.bytes += r.bytes;
    }
    st.complete = st.chunksDone == st.chunksTotal;
    st.sourceFrames = plan.sourceFrames();
    st.settingsHash = s.identity().settingsHash;
    return st;
}

Result<JobSummary> joinSession(const std::string& sessionDir, const std::string& outputPath, bool keepChunks,
                               JobObserver* observer, bool overwrite, VerifyDepth verify) {
    VFI_ASSIGN_OR_RETURN(pipeline::Session s, pipeline::Session::open(sessionDir));
    std::error_code ec;
    if (!overwrite && std::filesystem::exists(outputPath, ec))
        return makeError(ErrorCode::OutputExists, "output " + outputPath + " exists (use --overwrite)", {outputPath});
    auto locked = pipeline::SessionLock::acquire(sessionDir, 0, 1 << 30);
    if (!locked) return pipeline::completeDiskFull(locked.takeError(), sessionDir, pipeline::kLockFileBytes);
    auto lock = std::move(locked).value();
    auto r = pipeline::joinCompleteSession(s, outputPath, keepChunks, overwrite, observer, "", verify);
    if (r && !keepChunks) lock = pipeline::SessionLock();
    if (r && observer) observer->onStateChanged(JobState::Succeeded);
    return r;
}

}  // namespace vfi
