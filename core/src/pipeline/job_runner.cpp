// vfi::JobRunner: index → plan → session → render missing chunks (chunk_renderer) → join → verify.
#include "vfi/job_runner.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "pipeline/checkpoint_hash.h"
#include "pipeline/chunk_finisher.h"
#include "pipeline/chunk_renderer.h"
#include "pipeline/device_pool.h"
#include "pipeline/file_util.h"
#include "pipeline/job_context.h"
#include "pipeline/model_library_loader.h"
#include "pipeline/progress_tracker.h"
#include "pipeline/session_lock.h"
#include "pipeline/test_hooks.h"
#include "vfi/compute_devices.h"
#include "vfi/frame_buffer.h"

namespace vfi {

namespace {
// Bumped whenever the engine renders other pixels for the same settings (2: the colour converter's
// float fast paths, which round .5 ties of blended frames differently from the double path; 3: codes
// round halves up), so a session begun by an older build is refused on resume instead of mixing its
// chunks with this one's (design.md §4: re-rendered chunks are identical on the same build and
// settings).
constexpr int kRenderRevision = 3;
}  // namespace

namespace fs = std::filesystem;
using namespace vfi::pipeline;
using nlohmann::json;

struct JobRunner::Impl {
    std::shared_ptr<FrameInterpolator> injected;
    JobRunner::InterpolatorFactory factory;
    std::atomic<bool> stop{false};
    std::atomic<bool> cancelRequested{false};
    std::atomic<bool> pauseRequested{false};
    std::atomic<bool> releaseDevice{false};
    std::mutex mutex;
    JobStateMachine sm;
    JobObserver* observer = nullptr;
    std::string createdSessionDir;   // the session folder, when this run created it
    // For a full disk met while writing (completeDiskFull): the session's volume and the bytes the
    // rest of the job still needs, kept current as chunks are recorded.
    std::string sessionDir;
    std::atomic<int64_t> bytesStillNeeded{-1};

    void setState(JobState s) {
        if (sm.state() == s || !sm.transition(s)) return;
        if (observer) observer->onStateChanged(s);
    }
    void say(LogLevel l, const std::string& m) {
        if (observer) observer->onLog(l, m);
        else log(l, m);
    }
    Result<JobSummary> runJob(const JobSettings& settings);
};

namespace {

std::string canonical(const std::string& p) {
    std::error_code ec;
    fs::path c = fs::weakly_canonical(fs::absolute(p), ec);
    return ec ? p : c.string();
}

Status checkPaths(const JobSettings& s, bool joins) {
    std::error_code ec;
    if (s.inputPath.empty()) return makeError(ErrorCode::InvalidArgument, "no input file given", {"input", ""});
    if (!fs::exists(s.inputPath, ec)) return makeError(ErrorCode::InputNotFound, "input file not found: " + s.inputPath, {s.inputPath});
    if (fs::is_directory(s.inputPath, ec))
        return makeError(ErrorCode::NotAVideo, "the input " + s.inputPath + " is a folder, not a video file (give one file)",
                         {s.inputPath, "a folder"});
    if (!joins) return {};
    if (canonical(s.inputPath) == canonical(s.outputPath) || (fs::exists(s.outputPath, ec) && fs::equivalent(s.inputPath, s.outputPath, ec)))
        return makeError(ErrorCode::OutputEqualsInput, "the output path is the input file: " + s.outputPath, {s.outputPath});
    fs::path dir = fs::absolute(s.outputPath).parent_path();
    if (!fs::is_directory(dir, ec))
        return makeError(ErrorCode::OutputNotWritable, "output folder " + dir.string() + " does not exist", {dir.string(), "missing"});
    if (::access(dir.c_str(), W_OK) != 0)
        return makeError(ErrorCode::OutputNotWritable, "output folder " + dir.string() + " is not writable", {dir.string(), "not writable"});
    if (fs::exists(s.outputPath, ec) && !s.overwrite)
        return makeError(ErrorCode::OutputExists, "output " + s.outputPath + " already exists (use --overwrite to replace it)", {s.outputPath});
    return {};
}

double bytesPerPixel(const std::string& encoder) {
    if (encoder == "ffv1") return 1.0;
    if (encoder == "prores_ks") return 0.6;
    return 0.08;
}

PreviewImage toPreview(const RgbFrame& f, int64_t index, double seconds) {
    PreviewImage p;
    const int step = std::max(1, (f.width + 319) / 320);
    p.width = std::max(1, f.width / step);
    p.height = std::max(1, f.height / step);
    p.rgb.resize(static_cast<size_t>(p.width) * p.height * 3);
    for (int y = 0; y < p.height; ++y)
        for (int x = 0; x < p.width; ++x)
            for (int c = 0; c < 3; ++c) {
                const float v = f.plane(c)[static_cast<size_t>(y * step) * f.width + x * step];
                p.rgb[(static_cast<size_t>(y) * p.width + x) * 3 + c] = static_cast<uint8_t>(std::clamp(v * 255.0f + 0.5f, 0.0f, 255.0f));
            }
    p.frameIndex = index;
    p.seconds = seconds;
    return p;
}

// A run refused before its first chunk was recorded (no model, an unusable checkpoint, ...) leaves no
// empty session folder behind. A resumable stop keeps it, as its message promises; a folder with a
// chunk or another process's lock is never touched.
void removeUnusedSession(const std::string& dir, ErrorCode code) {
    if (dir.empty() || code == ErrorCode::Paused || code == ErrorCode::Cancelled || code == ErrorCode::DiskFull) return;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        if (name.rfind("chunk_", 0) == 0 || name.rfind("lock_", 0) == 0) return;
    }
    if (!ec) fs::remove_all(dir, ec);
}

}  // namespace

JobRunner::JobRunner() : m_impl(std::make_unique<Impl>()) {}
JobRunner::~JobRunner() = default;

void JobRunner::setInterpolator(std::shared_ptr<FrameInterpolator> interpolator) { m_impl->injected = std::move(interpolator); }
void JobRunner::setInterpolatorFactory(InterpolatorFactory factory) { m_impl->factory = std::move(factory); }

void JobRunner::requestCancel() {
    m_impl->cancelRequested = true;
    m_impl->stop = true;
}

void JobRunner::requestPause(bool releaseDevice) {
    m_impl->releaseDevice = releaseDevice;
    m_impl->pauseRequested = true;
    m_impl->stop = true;
}

Result<JobSummary> JobRunner::run(const JobSettings& settings, JobObserver* observer) {
    m_impl->observer = observer;
    m_impl->sm = JobStateMachine();
    m_impl->stop = m_impl->cancelRequested.load() || m_impl->pauseRequested.load();
    media::installAvLogBridge(false);
    m_impl->setState(JobState::Running);
    m_impl->sessionDir.clear();
    m_impl->bytesStillNeeded = -1;
    auto r = m_impl->runJob(settings);
    if (!r) r = completeDiskFull(r.takeError(), m_impl->sessionDir, m_impl->bytesStillNeeded);
    if (!r) removeUnusedSession(m_impl->createdSessionDir, r.error().code);
    m_impl->createdSessionDir.clear();
    // The GUI stays open between jobs: the recycled frame buffers (up to 1 GiB) go back now.
    frame_buffer::trim();
    if (!r) {
        const ErrorCode c = r.error().code;
        if (c == ErrorCode::Paused || c == ErrorCode::DiskFull) m_impl->setState(JobState::Paused);
        else if (c == ErrorCode::Cancelled) m_impl->setState(JobState::Cancelled);
        else m_impl->setState(JobState::Failed);
    } else if (!r->outputPath.empty()) {
        m_impl->setState(JobState::Succeeded);
    }
    m_impl->pauseRequested = false;
    m_impl->cancelRequested = false;
    m_impl->stop = false;
    return r;
}

Result<JobSummary> JobRunner::Impl::runJob(const JobSettings& in) {
    const auto t0 = std::chrono::steady_clock::now();
    JobSettings s = in;
    const bool joins = !s.range && !s.part;
    if (s.part && s.range) return makeError(ErrorCode::InvalidArgument, "--part and --range exclude each other", {"part", ""});
    if (s.part && (s.part->count < 1 || s.part->index < 0 || s.part->index >= s.part->count))
        return makeError(ErrorCode::InvalidArgument, "part " + std::to_string(s.part->index) + "/" + std::to_string(s.part->count) +
                                                         " does not exist (K/N needs 0 <= K < N)", {"part", ""});
    if (joins && s.outputPath.empty()) return makeError(ErrorCode::InvalidArgument, "no output file given", {"output", ""});
    if (!s.targetFps && s.factor != 2 && s.factor != 4 && s.factor != 8)
        return makeError(ErrorCode::InvalidArgument, "factor must be 2, 4 or 8", {"factor", std::to_string(s.factor)});
    VFI_TRY(checkPaths(s, joins || s.prepareOnly));
    if (s.sessionDir.empty()) {
        if (s.outputPath.empty())
            return makeError(ErrorCode::InvalidArgument, std::string(s.part ? "--part" : "--range") + " needs --session or -o", {"session", ""});
        s.sessionDir = defaultSessionDir(s.outputPath);
    }
    sessionDir = s.sessionDir;
    ProgressTracker tracker(observer);
    tracker.update([](Progress& p) { p.phase = JobPhase::Indexing; p.message = "indexing source"; }, true);

    VFI_ASSIGN_OR_RETURN(SourceIndex idx, indexSource(s.inputPath));
    VFI_ASSIGN_OR_RETURN(EncodeChoice enc, resolveEncoding(s.encode, idx, s.outputPath));
    VFI_ASSIGN_OR_RETURN(std::shared_ptr<const FrameSelection> selection, resolveTargetFps(s, idx, [&](const std::string& m) { say(LogLevel::Info, m); }));

    // One chunk worker per device (JobSettings::devices; empty: the one model.device), each with its
    // own interpolator, created (and destroyed) on the worker's thread.
    const std::vector<std::string> devices = s.devices.empty() ? std::vector<std::string>{s.model.device} : s.devices;
    for (const auto& d : devices)
        if (deviceKindOf(d) != deviceKindOf(devices.front()))
            return makeError(ErrorCode::InvalidArgument,
                             "devices of one job must be of one kind (" + devices.front() + " and " + d + ")", {"devices", d});
    const int workers = static_cast<int>(devices.size());
    if (injected && !factory && workers > 1)
        return makeError(ErrorCode::InvalidArgument, "one interpolator cannot serve several devices (set an interpolator factory)",
                         {"devices", std::to_string(workers)});
    s.model.device = devices.front();
    ModelOptions mo = s.model;
    // Leave a core for decode/encode: LibTorch's intra-op threads share the rest (CPU workers split it).
    const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    if (mo.threads <= 0) mo.threads = std::max(1, (cores - 1) / (deviceKindOf(devices.front()) == "cpu" ? workers : 1));
    const bool createsModel = !factory && !injected && s.backend == Backend::Tlbvfi;
    std::atomic<bool> deferIdentity{false};   // set by a worker thread of --prepare-only (below)
    DevicePool pool(workers, [&](int w) -> Result<std::shared_ptr<FrameInterpolator>> {
        if (factory) {
            auto made = factory(devices[static_cast<size_t>(w)], w);
            if (!made) return makeError(ErrorCode::Internal, "the interpolator factory made none for " + devices[static_cast<size_t>(w)]);
            return made;
        }
        if (injected) return injected;
        if (s.backend == Backend::Blend) return std::shared_ptr<FrameInterpolator>(createBlendInterpolator());
        ModelOptions own = mo;
        own.device = devices[static_cast<size_t>(w)];
        auto created = createTlbvfiInterpolator(own);
        if (!created && s.prepareOnly && created.error().code == ErrorCode::DeviceUnavailable) {
            // A submit host without the tasks' GPU: the other options are checked on the CPU, and
            // the first task writes the session's identity (its fingerprint holds the device kind).
            say(LogLevel::Warning, created.error().message + " The session's identity is written by the first task that renders.");
            deferIdentity = true;
            own.device = "cpu";
            own.precision = "fp32";
            created = createTlbvfiInterpolator(own);
        }
        if (!created) return created.takeError();
        return std::shared_ptr<FrameInterpolator>(std::move(created).value());
    });
    VFI_ASSIGN_OR_RETURN(const std::vector<FrameInterpolator*> interps, pool.created());
    FrameInterpolator* interp = interps.front();
    for (const FrameInterpolator* other : interps)
        if (other->fingerprint() != interp->fingerprint())
            return makeError(ErrorCode::InvalidArgument, "the devices of one job must render alike (" + interp->fingerprint() + " vs " +
                                                             other->fingerprint() + ")", {"devices", ""});
    if (createsModel && !deferIdentity) {
        // LibTorch's process-wide state, once per job before any worker loads (model_process.h).
        VFI_ASSIGN_OR_RETURN(const model::LibraryApi* library, modelLibrary());
        VFI_TRY(library->configureProcess(mo, mo.threads));
    }
    if (interp->isPreviewQuality()) say(LogLevel::Info, "backend: " + interp->displayName());
    if (workers > 1) say(LogLevel::Info, "devices: " + std::to_string(workers) + " workers (" + [&] {
        std::string list;
        for (const auto& d : devices) list += (list.empty() ? "" : ", ") + d;
        return list;
    }() + ")");
    {
        std::vector<ComputeDevice> known;
        if (deviceKindOf(devices.front()) == "cuda") known = listComputeDevices();
        std::vector<DeviceProgress> dp;
        for (int w = 0; w < workers; ++w) {
            DeviceProgress d;
            d.worker = w;
            d.deviceId = devices[static_cast<size_t>(w)];
            d.displayName = d.deviceId == "cpu" ? "CPU" : d.deviceId;
            for (const auto& k : known)
                if (k.id == d.deviceId) {
                    d.displayName = k.name;
                    d.memTotal = k.totalMemoryBytes;
                }
            dp.push_back(std::move(d));
        }
        tracker.setDevices(std::move(dp));
    }

    const int64_t chunkFrames = s.chunkFrames > 0 ? s.chunkFrames : ChunkPlan::defaultChunkFrames(idx.fps);
    const ChunkPlan plan = selection ? ChunkPlan(selection, chunkFrames) : ChunkPlan(static_cast<int64_t>(idx.pts.size()), s.factor, chunkFrames);
    bytesStillNeeded = plan.outputFrames() * static_cast<int64_t>(bytesPerPixel(enc.encoder) * idx.width * idx.height + 1) * (s.keepChunks || !joins ? 1 : 2);

    SessionIdentity id;
    id.inputPath = canonical(s.inputPath);
    struct stat st {};
    ::stat(s.inputPath.c_str(), &st);
    id.source.size = static_cast<int64_t>(st.st_size);
    id.source.mtimeNs = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
    VFI_ASSIGN_OR_RETURN(id.source.headTailHash, headTailHash(s.inputPath));
    id.source.streamLayout = idx.layout;
    id.source.indexHash = indexHash(idx);
    id.source.frames = plan.sourceFrames();
    id.settings = {{"factor", s.factor}, {"backend", backendName(interp->isPreviewQuality() && !injected ? Backend::Blend : s.backend)},
                   {"steps", s.model.steps}, {"flowScale", s.model.flowScale}, {"precision", s.model.precision},
                   {"device", deviceKindOf(s.model.device)}, {"ema", s.model.useEma}, {"encoder", enc.encoder}, {"pixFmt", enc.pixFmt},
                   {"quality", enc.quality}, {"preset", enc.preset}, {"encoderSettings", enc.resolved.settingsHash},
                   {"chunkFrames", chunkFrames},
                   {"sceneThreshold", s.sceneThreshold}, {"seed", s.seed}, {"renderRevision", kRenderRevision}};
    if (selection) id.settings["targetFps"] = frameRateKey(selection->rate());   // absent from factor jobs: their hash stays
    id.settingsHash = sha256Hex(id.settings.dump());
    id.modelFingerprint = interp->fingerprint();
    // The weights' content, not their file name: a session never continues with other weights (the
    // fingerprint cannot say, it is taken before load()). A missing file is load()'s error to report.
    if (std::error_code e; createsModel && !interp->isPreviewQuality() &&
                           !s.model.checkpointPath.empty() && fs::is_regular_file(s.model.checkpointPath, e)) {
        VFI_ASSIGN_OR_RETURN(id.checkpointHash, checkpointHash(s.model.checkpointPath));
    }
    id.chunkFrames = chunkFrames;
    id.factor = s.factor;
    id.chunkExtension = enc.chunkExtension;
    if (deferIdentity) {
        std::error_code e;
        fs::create_directories(s.sessionDir, e);
        if (e) return makeError(ErrorCode::OutputNotWritable, "cannot create " + s.sessionDir + ": " + e.message(), {s.sessionDir});
        JobSummary prepared;
        prepared.sessionDir = s.sessionDir;
        prepared.sourceFrames = plan.sourceFrames();
        return prepared;
    }
    if (std::error_code e; !fs::exists(s.sessionDir, e)) createdSessionDir = s.sessionDir;
    VFI_ASSIGN_OR_RETURN(Session session, Session::openOrCreate(s.sessionDir, id));
    VFI_TRY(writeSessionIndex(session, idx));
    JobSummary sum;
    sum.sessionDir = session.dir();
    sum.sourceFrames = plan.sourceFrames();
    if (s.prepareOnly) {
        say(LogLevel::Info, "session prepared: " + std::to_string(plan.chunkCount()) + " chunks");
        sum.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        return sum;
    }

    std::vector<int> wanted;
    if (s.range) wanted = plan.chunksForRange(s.range->begin, s.range->end);
    else if (s.part) wanted = plan.chunksForPart(s.part->index, s.part->count);
    else for (int k = 0; k < plan.chunkCount(); ++k) wanted.push_back(k);
    if (wanted.empty() && s.part) {
        // More parts than chunks: this task has nothing to do, which is not an error on an array engine.
        say(LogLevel::Info, "part " + std::to_string(s.part->index) + "/" + std::to_string(s.part->count) + " has no chunks (the job has " +
                                std::to_string(plan.chunkCount()) + ")");
        return sum;
    }
    if (wanted.empty()) return makeError(ErrorCode::InvalidArgument, "--range selects no frames", {"range", ""});
    if (s.part)
        say(LogLevel::Info, "part " + std::to_string(s.part->index) + "/" + std::to_string(s.part->count) + ": chunks " +
                                std::to_string(wanted.front()) + "-" + std::to_string(wanted.back()) + " of " + std::to_string(plan.chunkCount()));
    if (s.range)
        say(LogLevel::Info, "range " + std::to_string(s.range->begin) + ":" + std::to_string(s.range->end) + " snapped to chunks " +
                                std::to_string(wanted.front()) + "-" + std::to_string(wanted.back()) + " (source frames " +
                                std::to_string(plan.chunk(wanted.front()).sourceBegin) + "-" +
                                std::to_string(plan.chunk(wanted.back()).sourceEnd - 1) + ")");
    VFI_ASSIGN_OR_RETURN(SessionLock lock, SessionLock::acquire(session.dir(), wanted.front(), wanted.back(), devices));
    session.removeTempFiles();

    // Resume: keep recorded chunks whose file still matches; re-render the rest.
    auto records = session.scanRecords();
    std::vector<int> todo;
    int64_t doneFrames = 0, totalFrames = 0, doneSource = 0;
    for (int k : wanted) {
        const ChunkSpan span = plan.chunk(k);
        totalFrames += span.outputCount();
        auto it = records.find(k);
        if (it != records.end() && recordMatchesFile(session, it->second) && it->second.outputBegin == span.outputBegin &&
            it->second.outputEnd == span.outputEnd) {
            ++sum.chunksResumed;
            doneFrames += span.outputCount();
            doneSource += span.sourceEnd - span.sourceBegin;
            sum.sceneCuts.insert(sum.sceneCuts.end(), it->second.sceneCuts.begin(), it->second.sceneCuts.end());
        } else {
            if (it != records.end()) {
                say(LogLevel::Warning, "chunk file " + session.chunkPath(k) + " does not match its record (damaged, changed or missing); rendering it again");
                VFI_TRY(session.removeRecord(k));
            }
            todo.push_back(k);
        }
    }
    if (sum.chunksResumed > 0) say(LogLevel::Info, "resuming: " + std::to_string(sum.chunksResumed) + " of " + std::to_string(wanted.size()) + " chunks already done");

    // Disk guard: estimate before starting, then check after every chunk.
    const double minFree = s.minFreeDiskGb * 1e9;
    const int64_t perFrame = static_cast<int64_t>(bytesPerPixel(enc.encoder) * idx.width * idx.height) + 1;
    const int64_t needed = (totalFrames - doneFrames) * perFrame * (s.keepChunks || !joins ? 1 : 2);
    auto freeNow = [&] { return freeDiskBytes(session.dir()); };
    bytesStillNeeded = needed;
    auto diskFull = [&](int64_t want) {
        const int64_t fr = freeNow();
        return makeError(ErrorCode::DiskFull,
                         "not enough free disk space on " + session.dir() + " (" + std::to_string(fr / 1000000) + " MB free, " +
                             std::to_string(static_cast<int64_t>(minFree / 1e6)) + " MB reserve" +
                             (want > 0 ? ", about " + std::to_string(want / 1000000) + " MB still needed" : "") +
                             "); free space and rerun the same command to resume",
                         {session.dir(), std::to_string(want), std::to_string(fr)});
    };
    if (freeNow() >= 0 && freeNow() < minFree) return diskFull(needed);
    if (freeNow() >= 0 && freeNow() < minFree + needed)
        say(LogLevel::Warning, "free disk space may not suffice: about " + std::to_string(needed / 1000000) + " MB needed, " +
                                   std::to_string(freeNow() / 1000000) + " MB free");

    tracker.update([&](Progress& p) {
        p.phase = JobPhase::Rendering;
        p.sourceFramesTotal = plan.sourceFrames();
        p.sourceFramesDone = doneSource;
        p.outputFramesTotal = totalFrames;
        p.outputFramesDone = doneFrames;
        p.chunksTotal = static_cast<int>(wanted.size());
        p.chunksDone = sum.chunksResumed;
        p.chunksResumed = sum.chunksResumed;
        p.sessionBytes = session.chunkBytes();
        p.projectedBytes = projectOutputBytes(p.sessionBytes, doneFrames, totalFrames, perFrame);
        p.freeDiskBytes = freeNow();
        p.rssBytes = currentRssBytes();
        p.message = "rendering";
    }, true);

    const OutputClock clock = outputClock(idx, s.factor, selection);
    const OutputTiming& timing = clock.timing;
    const Rational outTb = clock.timeBase;
    std::mutex previewMutex;
    auto lastPreview = std::chrono::steady_clock::time_point{};
    const double tbSeconds = idx.timeBase.toDouble();
    const std::vector<int64_t> chunkStarts = [&] {
        std::vector<int64_t> v;
        for (int c = 0; c < plan.chunkCount(); ++c) v.push_back(plan.chunk(c).sourceBegin);
        return v;
    }();
    // manifest.json only indexes the records: a damaged or lost one is written again from them now.
    if (const std::string manifest = session.dir() + "/manifest.json"; !session.manifestReadable() && (!records.empty() || fs::exists(manifest))) {
        say(LogLevel::Warning, "session file " + manifest + " is damaged or missing; written again from the chunk records");
        VFI_TRY(session.rebuildManifest(plan.chunkCount(), chunkStarts));
    }
    std::mutex sumMutex;
    int64_t sessionFrames = doneFrames;   // output frames in recorded chunks; changed under the tracker's lock

    // How the workers ended: the first error that stops the job as it is (a chunk that fails its
    // verification, a write error; with one device also its render error), a device failure of a
    // several-device job (resumable), or low disk.
    std::mutex endMutex;
    std::optional<Error> hardError;
    struct DeviceFailure {
        int worker = 0;
        int chunk = -1;
        Error error;
        bool retried = false;
    };
    std::optional<DeviceFailure> failure;
    std::atomic<bool> diskLow{false};
    ChunkQueue queue(todo, workers, &stop);

    // One worker: load its model, then take chunks until none is left. Chunk N is finished (fsync →
    // verify → rename → record) on the worker's finisher thread while its chunk N+1 renders; chunks of
    // different workers finish and are recorded in any order. A finisher error sets `stop`, so every
    // render in flight ends early and that error (not "cancelled") is returned.
    auto work = [&](int w, FrameInterpolator& in) {
        const std::string& device = devices[static_cast<size_t>(w)];
        auto noteHard = [&](Error e) {
            std::lock_guard lk(endMutex);
            if (!hardError) hardError = std::move(e);
            stop = true;
        };
        auto deviceFailed = [&](int k, Error e) {
            if (workers == 1) return noteHard(std::move(e));   // one device: its error as it is
            queue.stopTaking();
            const bool retry = k >= 0 && queue.retryElsewhere(k, w);
            tracker.updateDevice(w, [](DeviceProgress& d) {
                d.failed = true;
                d.currentChunk = -1;
            }, true);
            say(LogLevel::Error, "device " + device + " (worker " + std::to_string(w) + ") failed" +
                                     (k >= 0 ? " on chunk " + std::to_string(k) : std::string()) + ": " + e.message +
                                     (retry ? "; the chunk is retried on another device" : ""));
            std::lock_guard lk(endMutex);
            if (!failure) failure = DeviceFailure{w, k, std::move(e), retry};
        };
        tracker.setDeviceMemorySource(w, [&in] { return in.deviceMemory(); });
        ChunkFinisher finisher(&stop);   // joined before this worker's state goes
        std::unique_ptr<RangeDecoder> decoder;
        int taken = 0;
        for (;;) {
            if (stop) break;
            const int k = queue.next(w);
            if (k < 0) break;
            if (!in.loaded()) {
                if (Status st = in.load(); !st) {
                    deviceFailed(k, st.takeError());
                    break;
                }
            }
            if (taken > 0 && freeNow() >= 0 && freeNow() < minFree) {
                diskLow = true;
                stop = true;
                break;
            }
            // Crash tests: "mid-encode" of chunk k means every earlier chunk of this worker is
            // recorded; only an armed test run waits here.
            if (killHookArmed("mid-encode", k)) (void)finisher.wait();
            const ChunkSpan span = plan.chunk(k);
            if (!decoder) {
                // Each worker decodes its own chunks: a decoder of its own, seeking as a resume does.
                auto opened = openRangeDecoder(s.inputPath, idx, span.sourceBegin, span.decodeEnd);
                if (!opened) {
                    noteHard(opened.takeError());
                    break;
                }
                decoder = std::move(opened).value();
            }
            tracker.updateDevice(w, [k](DeviceProgress& d) { d.currentChunk = k; });
            ChunkJob job;
            job.decoder = decoder.get();
            job.index = &idx;
            job.timing = &timing;
            job.selection = selection.get();
            job.span = span;
            job.factor = s.factor;
            job.sceneThreshold = s.sceneThreshold;
            job.seed = s.seed;
            job.encode = enc;
            job.outputTimeBase = outTb;
            job.tempPath = session.tempChunkPath(k);
            job.interpolator = &in;
            job.stop = &stop;
            job.onFrameEncoded = [&, w](int64_t) { tracker.frameEncoded(w); };
            job.onPair = [&](const RgbFrame& a, const RgbFrame& g, int64_t i, int64_t n) {
                if (!observer) return;
                std::lock_guard pl(previewMutex);
                const auto now = std::chrono::steady_clock::now();
                if (now - lastPreview < std::chrono::milliseconds(500)) return;
                lastPreview = now;
                PreviewPair pp;
                pp.source = toPreview(a, i, static_cast<double>(idx.pts[static_cast<size_t>(i)] - idx.pts[0]) * tbSeconds);
                pp.generated = toPreview(g, n, static_cast<double>(timing.pts(n) - timing.pts(0)) * outTb.toDouble());
                observer->onPreview(pp);
            };
            auto rendered = deviceFailureHook(w, k, taken)
                                ? Result<ChunkResult>(makeError(ErrorCode::ModelError, "injected device failure (VFI_TEST_FAIL_DEVICE)"))
                                : renderChunk(job);
            ++taken;
            if (!rendered) {
                std::error_code ec;
                fs::remove(job.tempPath, ec);   // only the partial chunk is discarded
                if (finisher.failed()) break;   // the finisher's error is returned below
                if (rendered.error().code == ErrorCode::Cancelled || stop) break;
                deviceFailed(k, rendered.takeError());
                break;
            }
            // Runs on the finisher thread; touches only the session (thread-safe), `sum` (under
            // sumMutex) and the thread-safe tracker.
            auto finish = [&, k, w, span, tempPath = job.tempPath, res = std::move(rendered).value()]() -> Status {
                std::error_code fec;
                VFI_TRY(fsyncFile(tempPath));
                const ChunkStats& cs = res.stats;
                auto verified = verifyChunk(tempPath, span.outputCount(), timing.pts(span.outputBegin), timing.pts(span.outputEnd - 1),
                                            outTb, cs, s.verify);
                if (!verified) {
                    fs::remove(tempPath, fec);
                    return verified.takeError();
                }
                VFI_TRY(renameDurable(tempPath, session.chunkPath(k)));
                killHook("after-rename", k);
                ChunkRecord rec;
                rec.index = k;
                rec.file = session.chunkFileName(k);
                rec.sourceBegin = span.sourceBegin;
                rec.sourceEnd = span.sourceEnd;
                rec.outputBegin = span.outputBegin;
                rec.outputEnd = span.outputEnd;
                rec.firstPts = cs.firstPts;
                rec.lastPts = cs.lastPts;
                rec.packets = cs.packets;
                rec.bytes = cs.bytes;
                VFI_ASSIGN_OR_RETURN(rec.contentHash, contentHashFile(session.chunkPath(k)));
                rec.extradataHash = cs.extradataHash;
                rec.encoderSettingsHash = cs.encoderSettingsHash;
                rec.sceneCuts = res.sceneCuts;
                rec.device = device;
                rec.host = hostName();
                VFI_TRY(session.writeRecord(rec));
                killHook("after-record", k);
                VFI_TRY(session.rebuildManifest(plan.chunkCount(), chunkStarts));
                {
                    std::lock_guard sl(sumMutex);
                    ++sum.chunksRendered;
                    sum.sceneCuts.insert(sum.sceneCuts.end(), rec.sceneCuts.begin(), rec.sceneCuts.end());
                }
                tracker.update([&](Progress& p) {
                    p.chunksDone += 1;
                    p.sourceFramesDone += span.sourceEnd - span.sourceBegin;
                    p.sessionBytes += rec.bytes;
                    p.freeDiskBytes = freeNow();
                    sessionFrames += span.outputCount();
                    bytesStillNeeded = (totalFrames - sessionFrames) * perFrame * (s.keepChunks || !joins ? 1 : 2);
                    p.projectedBytes = projectOutputBytes(p.sessionBytes, sessionFrames, p.outputFramesTotal, perFrame);
                    if (static_cast<size_t>(w) < p.devices.size()) {
                        p.devices[static_cast<size_t>(w)].chunksDone += 1;
                        if (p.devices[static_cast<size_t>(w)].currentChunk == k) p.devices[static_cast<size_t>(w)].currentChunk = -1;
                    }
                }, true);
                return {};
            };
            if (!finisher.submit(std::move(finish))) break;   // an earlier chunk's error: returned below
        }
        queue.leave(w);
        if (Status st = finisher.wait(); !st) noteHard(st.takeError());
        tracker.setDeviceMemorySource(w, nullptr);
        if (pauseRequested && releaseDevice) in.release();
    };
    if (!todo.empty()) pool.run(work);
    if (hardError) return *hardError;
    if (diskLow) return diskFull(0);
    if (stop && (pauseRequested || cancelRequested)) {
        if (pauseRequested) return makeError(ErrorCode::Paused, "paused; rerun the same job to resume (finished chunks are kept)");
        return makeError(ErrorCode::Cancelled, "cancelled; finished chunks are kept in " + session.dir() + ", rerun to resume");
    }
    if (failure) {
        // Resumable: the other devices' chunks are recorded; a rerun renders the rest.
        const std::string& device = devices[static_cast<size_t>(failure->worker)];
        return makeError(ErrorCode::Paused,
                         "device " + device + " (worker " + std::to_string(failure->worker) + ") failed" +
                             (failure->chunk >= 0 ? " on chunk " + std::to_string(failure->chunk) : std::string()) + ": " +
                             failure->error.message + ". The job stopped; the finished chunks of every device are kept in " +
                             session.dir() + "; rerun the same command to resume (on other devices if this one stays faulty)",
                         {device, failure->error.message});
    }
    std::sort(sum.sceneCuts.begin(), sum.sceneCuts.end());
    sum.outputFrames = totalFrames;
    if (!joins) {
        sum.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        return sum;
    }
    setState(JobState::Joining);
    lock.release();
    VFI_ASSIGN_OR_RETURN(auto joinLock, SessionLock::acquire(session.dir(), 0, 1 << 30));
    auto joined = joinCompleteSession(session, s.outputPath, s.keepChunks, s.overwrite, nullptr, s.inputPath, s.verify);
    if (!joined) return joined.takeError();
    setState(JobState::Verifying);
    joinLock = SessionLock();
    JobSummary out = joined.value();
    out.chunksRendered = sum.chunksRendered;
    out.chunksResumed = sum.chunksResumed;
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    tracker.update([&](Progress& p) { p.phase = JobPhase::Done; p.message = "done"; }, true);
    return out;
}

}  // namespace vfi
