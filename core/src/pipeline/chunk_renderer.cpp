#include "pipeline/chunk_renderer.h"

#include <algorithm>
#include <optional>
#include <thread>
#include <utility>

extern "C" {
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

// Generated frames of one pair, by bisection in a fixed order: level by level, left to right, so
// bisectionStep numbers are stable (the model's noise seed depends on them).
Result<std::vector<RgbFrame>> bisect(const RgbFrame& a, const RgbFrame& b, int factor, const ChunkJob& job,
                                     int64_t pairIndex) {
    // The ends are read in place (a copy of two float frames per pair was a fifth of the blend
    // backend's memory traffic); generated frames are owned by `made`.
    std::vector<std::optional<RgbFrame>> made(static_cast<size_t>(factor) + 1);
    auto at = [&](int k) -> const RgbFrame& { return k == 0 ? a : k == factor ? b : *made[static_cast<size_t>(k)]; };
    int step = 0;
    for (int span = factor; span >= 2; span /= 2) {
        for (int lo = 0; lo + span <= factor; lo += span) {
            InterpolationCall call;
            call.jobSeed = job.seed;
            call.pairIndex = pairIndex;
            call.bisectionStep = step++;
            call.frameIdA = pairIndex * factor + lo;
            call.frameIdB = pairIndex * factor + lo + span;
            call.cancel = job.stop;
            auto mid = job.interpolator->interpolate(at(lo), at(lo + span), call);
            if (!mid) return mid.takeError();
            made[static_cast<size_t>(lo + span / 2)] = std::move(mid).value();
        }
    }
    std::vector<RgbFrame> out;
    for (int r = 1; r < factor; ++r) out.push_back(std::move(*made[static_cast<size_t>(r)]));
    return out;
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
    SourceItem prev;
    bool hasPrev = false;
    // Source frames in the encoder's pixel format are encoded from the decoded frame: their float
    // copy is dropped before queueing so the output queue holds one copy per source frame.
    const AVPixelFormat encFmt = av_get_pix_fmt(job.encode.pixFmt.c_str());
    auto emit = [&](int64_t idx, RgbFrame f, media::AvFramePtr d = {}) {
        if (d && d->format == encFmt) f = RgbFrame();
        return outputQueue.push({idx, std::move(f), std::move(d)});
    };
    LumaThumb prevThumb;   // empty when scene cuts are not detected
    while (auto cur = sourceQueue.pop()) {
        if (job.stop && job.stop->load()) break;
        if (hasPrev) {
            const int64_t i = prev.index;
            if (i != cur->index - 1) {
                interpError = makeError(ErrorCode::Internal, "decoder skipped a frame", {"frame order"});
                break;
            }
            const bool cut = !cur->thumb.luma.empty() && !prevThumb.luma.empty() &&
                             isSceneCut(sceneCutScore(prevThumb, cur->thumb), job.sceneThreshold);
            std::vector<RgbFrame> generated;
            if (cut) {
                result.sceneCuts.push_back(i);
                generated.assign(static_cast<size_t>(job.factor) - 1, prev.frame);
            } else {
                auto g = bisect(prev.frame, cur->frame, job.factor, job, i);
                if (!g) {
                    interpError = g.takeError();
                    break;
                }
                generated = std::move(g).value();
            }
            if (job.onPair) job.onPair(prev.frame, generated.front(), i);
            bool open = emit(i * job.factor, std::move(prev.frame), std::move(prev.decoded));
            for (int r = 1; open && r < job.factor; ++r)
                open = emit(i * job.factor + r, std::move(generated[static_cast<size_t>(r) - 1]));
            if (!open) break;
        }
        const bool ownsLast = cur->index == static_cast<int64_t>(job.index->pts.size()) - 1 && cur->index < span.sourceEnd;
        prevThumb = std::move(cur->thumb);
        if (cur->index + 1 >= span.decodeEnd && ownsLast) {
            emit(cur->index * job.factor, std::move(cur->frame), std::move(cur->decoded));
            break;
        }
        prev = std::move(*cur);
        hasPrev = true;
        if (prev.index + 1 >= span.decodeEnd) break;   // partner of the next chunk: not ours
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
