// FIEncoder (model.py line 1100, "FlowEncoder"): Haar-wavelet frequency branch + 5-level 2D down
// path per frame + joint 3-frame middle (fusion ResNet blocks, global spatio-temporal attention).
// Input: the padded 3-frame stack (3, 3, H, W) frame-major [prev, mid, next], H and W multiples of
// 32·(window 8)·... (the VQFlowNetInterface pads to 512). Output: latent before quant_conv and the
// per-level features of frames 0 and 2 (phi_list) used by the decoder and the flow refinement.
#pragma once

#include <torch/torch.h>

#include <deque>
#include <vector>

#include "maxvit.h"
#include "memory_plan.h"
#include "model_config.h"
#include "vq_blocks.h"

namespace vfi::model {

struct EncoderOutput {
    torch::Tensor latent;                // (3, zChannels, H/32, W/32), before quant_conv
    std::vector<torch::Tensor> phiList;  // 6 entries, each (2, C_l, H_l, W_l) = cat[frame0, frame2]
    bool mappedToUnit = false;           // the reference's `if x.min() < 0: x = x/2 + 0.5` was taken
};

// Per-frame features of the encoder's down path for ONE frame: entry 0 = conv_in output, entry l+1 =
// output of level l after its downsample; each (1, C_l, H_l, W_l). phi_list entry l of a pair is
// cat(features(prev)[l], features(next)[l]).
using FrameFeatures = std::vector<torch::Tensor>;

// Reuse of down-path features across calls (issue 3, item 6b). A frame's down path depends on the
// other frames only through the encoder's min() < 0 decision, so features are keyed by the exact
// frame content (torch::equal, cheap next to the encoder), that decision and the frame size; the
// zero middle frame becomes one entry per size and decision. Entries are evicted oldest first.
// With a cache attached the encoder runs the down path frame by frame (hits and misses alike), so
// cached and uncached calls through the same cache-enabled path give bit-identical results.
class EncoderFeatureCache {
public:
    explicit EncoderFeatureCache(size_t capacity = 6) : m_capacity(capacity) {}

    // Features for `frame` (the raw encoder input frame, before the [0,1] mapping) under `mapped`,
    // with at least `depth` entries; nullptr on a miss.
    const FrameFeatures* find(const torch::Tensor& frame, bool mapped, size_t depth);
    void insert(const torch::Tensor& frame, bool mapped, FrameFeatures features);
    void clear() { m_entries.clear(); }
    void setCapacity(size_t capacity);
    size_t capacity() const { return m_capacity; }
    int64_t hits() const { return m_hits; }
    int64_t misses() const { return m_misses; }

private:
    struct Entry {
        torch::Tensor frame;
        bool mapped = false;
        FrameFeatures features;
    };
    std::deque<Entry> m_entries;
    size_t m_capacity;
    int64_t m_hits = 0, m_misses = 0;
};

// WaveletTransform3D applied twice + concatenation: (1, 1, 3, H, W) grey video -> (1, 21, H, W).
// Haar filters along frames (no padding) and along H, W with padding="same" (zero pad right).
torch::Tensor haarHighFrequencies(const torch::Tensor& greyVideo);

// model.py:Frequency_block (GN(4) → ReLU → conv5 s2 p2 → GN → ReLU → conv5 s2 p2, + shortcut conv5 s4 p1).
class FrequencyBlockImpl : public torch::nn::Module {
public:
    FrequencyBlockImpl(int64_t inChannels, int64_t outChannels);
    torch::Tensor forward(const torch::Tensor& x);

    VqGroupNorm norm1{nullptr}, norm2{nullptr};
    torch::nn::Conv2d conv1{nullptr}, conv2{nullptr}, shortcut{nullptr};
};
TORCH_MODULE(FrequencyBlock);

// model.py:Frequency_extractor: conv_in Conv2d(21,64,3,s2,p1) + Blocks (Sequential of Frequency_block).
class FrequencyExtractorImpl : public torch::nn::Module {
public:
    FrequencyExtractorImpl(int64_t outChannels, int64_t numResolutions);
    torch::Tensor forward(const torch::Tensor& x);

    torch::nn::Conv2d conv_in{nullptr};
    torch::nn::Sequential Blocks{nullptr};
};
TORCH_MODULE(FrequencyExtractor);

// One entry of FIEncoder.down: `block` and `attn` ModuleLists and `downsample`.
class EncoderLevelImpl : public torch::nn::Module {
public:
    EncoderLevelImpl(int64_t blockIn, int64_t blockOut, int64_t numResBlocks, bool withAttn);

    torch::nn::ModuleList block{nullptr};
    torch::nn::ModuleList attn{nullptr};
    VqDownsample downsample{nullptr};
};
TORCH_MODULE(EncoderLevel);

class EncoderMidImpl : public torch::nn::Module {
public:
    explicit EncoderMidImpl(int64_t channels);

    ResnetBlockFusion block_1{nullptr};
    STAttnBlock attn_1{nullptr};
    ResnetBlockFusion block_2{nullptr};
};
TORCH_MODULE(EncoderMid);

class FIEncoderImpl : public torch::nn::Module {
public:
    explicit FIEncoderImpl(const VqganConfig& config);

    // Full forward, as the reference (both passes of sample()). With `cache`, the per-frame down
    // paths are looked up / stored there (see EncoderFeatureCache).
    EncoderOutput forward(const torch::Tensor& frames, EncoderFeatureCache* cache = nullptr);

    // The reduced-resolution (flow) pass of decode() uses only phi_list[:numEntries] (4): this runs
    // just the down path of the two real frames up to that depth, skipping the zero frame, the
    // wavelet branch, the deeper levels and the middle. The min() < 0 decision of the reference's
    // cat([f0, 0, f1]) is kept: min(f0, f1) < 0 (the zero frame's minimum is 0, never < 0).
    // f0, f1: (1, 3, H, W). Returns phi entries (2, C, H_l, W_l) and the decision.
    EncoderOutput flowFeatures(const torch::Tensor& f0, const torch::Tensor& f1, size_t numEntries,
                               EncoderFeatureCache* cache = nullptr);

    // The down path of one (already range-mapped) frame (1, 3, H, W), `depth` entries (<= levels + 1).
    // Tiled when the memory plan says so; then entry 0 is undefined unless keepFirst.
    FrameFeatures downPath(const torch::Tensor& frame, size_t depth, bool keepFirst = true);

    int64_t numResolutions() const { return static_cast<int64_t>(m_config.chMult.size()); }

    // Exact row-band tiling of the down path's large levels (see memory_plan.h, encoder_tiled.cpp).
    void setMemoryPlan(const MemoryPlan& plan) { m_memoryPlan = plan; }
    // Whether a tiled down path still materialises entry 0 (conv_in output, 64 channels at full
    // resolution): only the scale = 1 flow refinement reads it. Untiled runs always keep it.
    void setKeepFullResFeatures(bool keep) { m_keepFullRes = keep; }

    torch::nn::Conv2d conv_in{nullptr};
    torch::nn::ModuleList down{nullptr};
    EncoderMid mid{nullptr};
    FrequencyExtractor frequency_extractor{nullptr};
    VqGroupNorm norm_out{nullptr};
    torch::nn::Conv3d conv_out{nullptr};

private:
    // Tiled down path; entry 0 is undefined unless m_keepFullRes (encoder_tiled.cpp).
    FrameFeatures downPathTiled(const torch::Tensor& frame, size_t depth, bool keepFirst);

    VqganConfig m_config;
    MemoryPlan m_memoryPlan;
    bool m_keepFullRes = true;
};
TORCH_MODULE(FIEncoder);

}  // namespace vfi::model
