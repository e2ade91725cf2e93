#include "pipeline/chunk_renderer.h"

#include <algorithm>
#include <optional>
#include <thread>
#include <utility>

extern "C" {
#include <libavutil/frame.h>
#include <libavutil/pixdesc.h>
}

#include "pipeline/bounded_queue.h"
#include "pipeline/scene_cut_detector.h"
#include "pipeline/test_hooks.h"

namespace vfi::pipeline {

namespace {

constexpr size_t kQueueDepth = 4;
// At 4K the 1080p depths held 12 float frames (1.2 GB). Shallower was not slower with the blend
// backend and libx264 (60 frames: 1 + 2 took 25.2-25.4 s against 25.9-26.0 s for 4 + 8; 2 + 2 30.4
// against 34.8 s in a noisier minute) and 2 + 2 saves 0.55 GB of peak RSS and a third of the page
// faults. The model backend is slower than decoding and encoding, so its queues are always full:
// the depth only decides how much memory waits.
constexpr size_t kQueueBudgetBytes = size_t(256) << 20;

struct SourceItem {
    int64_t index = 0;
    RgbFrame frame;
    media::AvFramePtr decoded;
    LumaThumb thumb;   // empty unless scene cuts are detected
};
struct OutputItem {
    int64_t outputIndex = 0;
    RgbFrame frame;
    media::AvFramePtr decoded;   // set for source frames: encoded untouched
};

// Generated frames of a group of consecutive pairs (held[k], held[k+1]), by bisection in a fixed
// order: level by level, and within a level pair by pair, left to right, so bisectionStep numbers
// are stable (the model's noise seed depends on them). The independent calls of one level, across
// the group's pairs, go to the interpolator `batch` at a time; which calls share a batch depends
// only on the group (the chunk plan) and `batch`, so a chunk rendered again is batched alike.
// Pairs at a scene cut repeat their first frame and call nothing. A target-rate job (job.selection)
// makes only the steps its outputs need (FrameSelection::neededSteps), numbered as above; the
// others, and a cut pair's, are left empty.
Result<std::vector<std::vector<RgbFrame>>> bisectGroup(const std::vector<SourceItem>& held, const std::vector<char>& cut,
                                                       int factor, int batch, const ChunkJob& job) {
    const size_t pairs = cut.size();
    // The ends are read in place (a copy of two float frames per pair was a fifth of the blend
    // backend's memory traffic); generated frames are owned by `made`.
    std::vector<std::vector<std::optional<RgbFrame>>> made(pairs, std::vector<std::optional<RgbFrame>>(static_cast<size_t>(factor) + 1));
    auto at = [&](size_t p, int k) -> const RgbFrame& {
        return k == 0 ? held[p].frame : k == factor ? held[p + 1].frame : *made[p][static_cast<size_t>(k)];
    };
    std::vector<std::vector<bool>> wanted;
    if (job.selection)
        for (size_t p = 0; p < pairs; ++p) wanted.push_back(job.selection->neededSteps(held[p].index));
    int step = 0;
    for (int span = factor; span >= 2; span /= 2) {
        std::vector<InterpolationRequest> level;
        std::vector<std::pair<size_t, int>> target;   // (pair, frame position) of each request
        for (size_t p = 0; p < pairs; ++p) {
            int pairStep = step;
            for (int lo = 0; lo + span <= factor; lo += span) {
                const int64_t pairIndex = held[p].index;
                InterpolationCall call;
                call.jobSeed = job.seed;
                call.pairIndex = pairIndex;
                call.bisectionStep = pairStep++;
                call.frameIdA = pairIndex * factor + lo;
                call.frameIdB = pairIndex * factor + lo + span;
                call.cancel = job.stop;
                if (!cut[p] && (wanted.empty() || wanted[p][static_cast<size_t>(lo + span / 2)])) {
                    level.push_back({&at(p, lo), &at(p, lo + span), call});
                    target.emplace_back(p, lo + span / 2);
                }
            }
        }
        step += factor / span;
        for (size_t first = 0; first < level.size(); first += static_cast<size_t>(batch)) {
            const size_t n = std::min(level.size() - first, static_cast<size_t>(batch));
            std::vector<InterpolationRequest> part(level.begin() + static_cast<std::ptrdiff_t>(first),
                                                   level.begin() + static_cast<std::ptrdiff_t>(first + n));
            auto mids = job.interpolator->interpolateBatch(part);
            if (!mids) return mids.takeError();
            if (mids->size() != n) return makeError(ErrorCode::Internal, "interpolateBatch returned a wrong frame count", {"batch"});
            for (size_t k = 0; k < n; ++k) {
                const auto [p, pos] = target[first + k];
                made[p][static_cast<size_t>(pos)] = std::move((*mids)[k]);
            }
        }
    }
    std::vector<std::vector<RgbFrame>> out(pairs);
    for (size_t p = 0; p < pairs; ++p) {
        for (int r = 1; r < factor; ++r)
            out[p].push_back(made[p][static_cast<size_t>(r)] ? std::move(*made[p][static_cast<size_t>(r)])
                             : cut[p] && !job.selection ? held[p].frame
                                                        : RgbFrame());
    }
    return out;
}

// Target-rate job: the output frames whose time falls in pair (a, b), each showing the grid point
// nearest its time (FrameSelection); `generated` holds the steps bisectGroup made. Across a scene
// cut frame a is held where a generated frame would be shown, as in the factor path. False when
// the output queue closed.
template <class EmitSource, class Emit>
bool emitSelected(const ChunkJob& job, const SourceItem& a, const SourceItem& b, bool cut, std::vector<RgbFrame>& generated,
                  EmitSource& emitSource, Emit& emit) {
    const FrameSelection& sel = *job.selection;
    const int64_t i = a.index;
    const int64_t end = sel.firstOutputOf(i + 1);
    bool previewed = false;
    for (int64_t n = sel.firstOutputOf(i); n < end; ++n) {
        const int step = sel.pick(n).step;
        bool open;
        if (step == 0 || (cut && step < job.factor)) {
            open = emitSource(n, a);
        } else if (step == job.factor) {
            open = emitSource(n, b);
        } else {
            RgbFrame& g = generated[static_cast<size_t>(step) - 1];
            if (!previewed && job.onPair) job.onPair(a.frame, g, i, n);
            previewed = true;
            // Steps never decrease with n: only a repeat (variable frame rate) needs a copy.
            const bool again = n + 1 < end && sel.pick(n + 1).step == step;
            open = emit(n, again ? RgbFrame(g) : std::move(g));
        }
        if (!open) return false;
    }
    return true;
}

}  // namespace

QueueDepths queueDepths(int width, int height, int factor) {
    const size_t frameBytes = static_cast<size_t>(std::max(width, 1)) * static_cast<size_t>(std::max(height, 1)) * 3 * sizeof(float);
    const size_t fit = kQueueBudgetBytes / frameBytes;
    return {std::clamp<size_t>(fit, 1, kQueueDepth), std::clamp<size_t>(fit, 2, kQueueDepth * static_cast<size_t>(std::max(factor, 1)))};
}

Result<ChunkResult> renderChunk(const ChunkJob& job) {
    const QueueDepths depths = queueDepths(job.index->width, job.index->height, job.factor);
    BoundedQueue<SourceItem> sourceQueue(depths.source);
    BoundedQueue<OutputItem> outputQueue(depths.output);
    const ChunkSpan& span = job.span;

    RangeDecoder* decoder = job.decoder;
    VFI_TRY(decoder->setRange(span.sourceBegin, span.decodeEnd));
    VFI_ASSIGN_OR_RETURN(auto encoder, openChunkEncoder(job.tempPath, job.encode, *job.index, job.outputTimeBase));

    std::optional<Error> decodeError, encodeError;
    std::thread decodeThread([&] {
        for (;;) {
            if (job.stop && job.stop->load()) break;
            SourceItem item;
            auto more = decoder->next(item.frame, item.decoded, item.index);
            if (!more) {
                decodeError = more.takeError();
                break;
            }
            if (!more.value()) break;
            if (job.sceneThreshold > 0) item.thumb = decoder->thumbnail(item.frame, item.decoded.get());
            if (!sourceQueue.push(std::move(item))) break;
        }
        sourceQueue.close();
    });
    std::thread encodeThread([&] {
        const int64_t half = span.outputBegin + span.outputCount() / 2;
        while (auto item = outputQueue.pop()) {
            auto st = encoder->write(item->frame, item->decoded.get(), job.timing->pts(item->outputIndex));
            if (!st) {
                encodeError = st.takeError();
                outputQueue.abort();
                sourceQueue.abort();
                break;
            }
            if (item->outputIndex == half) killHook("mid-encode", span.index);
            if (job.onFrameEncoded) job.onFrameEncoded(item->outputIndex);
        }
    });

    ChunkResult result;
    std::optional<Error> interpError;
    // Source frames of the pairs waiting for the model, plus the last one's partner; pairs are
    // interpolated in groups of `batch` consecutive pairs counted from the chunk's first source frame
    // (the last group of a chunk may be shorter), so the grouping is a function of the chunk plan.
    std::vector<SourceItem> held;
    std::vector<char> cut;   // per waiting pair
    const int batch = std::max(1, job.interpolator->batchSize(job.index->width, job.index->height));
    // Source frames in the encoder's pixel format are encoded from the decoded frame: their float
    // copy is dropped before queueing so the output queue holds one copy per source frame.
    const AVPixelFormat encFmt = av_get_pix_fmt(job.encode.pixFmt.c_str());
    auto emit = [&](int64_t idx, RgbFrame f, media::AvFramePtr d = {}) {
        if (d && d->format == encFmt) f = RgbFrame();
        return outputQueue.push({idx, std::move(f), std::move(d)});
    };
    // A source frame a target-rate job shows (once, several times or not at all): the decoded frame
    // is shared by reference, the float copy made only where the encoder needs it.
    auto emitSource = [&](int64_t idx, const SourceItem& src) {
        media::AvFramePtr d(src.decoded ? av_frame_clone(src.decoded.get()) : nullptr);
        return outputQueue.push({idx, d && d->format == encFmt ? RgbFrame() : src.frame, std::move(d)});
    };
    // Interpolates the waiting pairs and emits them in order; keeps their last partner.
    auto flush = [&]() -> bool {
        if (cut.empty()) return true;
        auto g = bisectGroup(held, cut, job.factor, batch, job);
        if (!g) {
            interpError = g.takeError();
            return false;
        }
        bool open = true;
        for (size_t p = 0; open && p < cut.size(); ++p) {
            auto& generated = (*g)[p];
            const int64_t i = held[p].index;
            if (job.selection) {
                open = emitSelected(job, held[p], held[p + 1], cut[p] != 0, generated, emitSource, emit);
                continue;
            }
            if (job.onPair) job.onPair(held[p].frame, generated.front(), i, i * job.factor + 1);
            open = emit(i * job.factor, std::move(held[p].frame), std::move(held[p].decoded));
            for (int r = 1; open && r < job.factor; ++r)
                open = emit(i * job.factor + r, std::move(generated[static_cast<size_t>(r) - 1]));
        }
        held.erase(held.begin(), held.begin() + static_cast<std::ptrdiff_t>(cut.size()));
        cut.clear();
        return open;
    };
    LumaThumb prevThumb;   // empty when scene cuts are not detected
    while (auto cur = sourceQueue.pop()) {
        if (job.stop && job.stop->load()) break;
        if (!held.empty()) {
            const int64_t i = held.back().index;
            if (i != cur->index - 1) {
                interpError = makeError(ErrorCode::Internal, "decoder skipped a frame", {"frame order"});
                break;
            }
            const bool isCut = !cur->thumb.luma.empty() && !prevThumb.luma.empty() &&
                               isSceneCut(sceneCutScore(prevThumb, cur->thumb), job.sceneThreshold);
            if (isCut) result.sceneCuts.push_back(i);
            cut.push_back(isCut ? 1 : 0);
        }
        const bool ownsLast = cur->index == static_cast<int64_t>(job.index->pts.size()) - 1 && cur->index < span.sourceEnd;
        const bool lastNeeded = cur->index + 1 >= span.decodeEnd;
        prevThumb = std::move(cur->thumb);
        held.push_back(std::move(*cur));
        if ((static_cast<int>(cut.size()) == batch || lastNeeded) && !flush()) break;
        if (lastNeeded) {
            // The chunk holding the final source frame encodes it; otherwise it is the partner of
            // the next chunk's first pair: not ours.
            if (ownsLast && job.selection) {   // the outputs from its time on show it
                for (int64_t n = job.selection->firstOutputOf(held.back().index); n < span.outputEnd; ++n)
                    if (!emitSource(n, held.back())) break;
            } else if (ownsLast) {
                emit(held.back().index * job.factor, std::move(held.back().frame), std::move(held.back().decoded));
            }
            break;
        }
    }
    const bool stopped = job.stop && job.stop->load();
    if (interpError || stopped) {
        sourceQueue.abort();
        outputQueue.abort();
    } else {
        sourceQueue.abort();   // nothing more needed from the decoder
        outputQueue.close();
    }
    decodeThread.join();
    encodeThread.join();
    if (interpError) return std::move(*interpError);
    if (stopped) return makeError(ErrorCode::Cancelled, "chunk abandoned");
    if (decodeError) return std::move(*decodeError);
    if (encodeError) return std::move(*encodeError);
    VFI_ASSIGN_OR_RETURN(result.stats, encoder->finish());
    if (result.stats.frames != span.outputCount())
        return makeError(ErrorCode::Internal,
                         "chunk " + std::to_string(span.index) + " has " + std::to_string(result.stats.frames) +
                             " frames, planned " + std::to_string(span.outputCount()),
                         {"frame count"});
    return result;
}

}  // namespace vfi::pipeline
