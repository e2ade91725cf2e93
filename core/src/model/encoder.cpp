#include "encoder.h"

#include "profiling.h"

namespace vfi::model {

namespace F = torch::nn::functional;

namespace {

// WaveletTransform3D.conv1d_flat: a 2-tap filter along frames (no padding) or along H / W
// (padding "same" = one zero on the right for the even kernel), on the reference's flattened layouts.
torch::Tensor conv1dFlat(const torch::Tensor& x, const torch::Tensor& filter, int dim) {
    const int64_t b = x.size(0), c = x.size(1), f = x.size(2), h = x.size(3), w = x.size(4);
    if (dim == 0) {
        auto y = x.permute({0, 1, 3, 4, 2}).reshape({b * c * h * w, f});
        y = F::conv1d(y.unsqueeze(1), filter).squeeze(1);
        return y.view({b, c, h, w, -1}).permute({0, 1, 4, 2, 3});
    }
    const auto same = F::Conv1dFuncOptions().padding(torch::kSame).stride(1);
    if (dim == 1) {
        auto y = x.permute({0, 1, 2, 4, 3}).reshape({b * c * f * w, h});
        y = F::conv1d(y.unsqueeze(1), filter, same).squeeze(1);
        return y.view({b, c, f, w, -1}).permute({0, 1, 2, 4, 3});
    }
    auto y = x.permute({0, 1, 2, 3, 4}).reshape({b * c * f * h, w});
    y = F::conv1d(y.unsqueeze(1), filter, same).squeeze(1);
    return y.view({b, c, f, h, -1});
}

struct Wavelet {
    torch::Tensor low, high;
};

Wavelet haarFilters(const torch::Device& device) {
    const auto sqrt2 = torch::sqrt(torch::tensor(2.0f));
    return {(torch::tensor({0.5f, 0.5f}).view({1, 1, -1}) / sqrt2).to(device),
            (torch::tensor({-0.5f, 0.5f}).view({1, 1, -1}) / sqrt2).to(device)};
}

// One WaveletTransform3D.forward: returns (LLL, cat(7 high bands, dim 2).squeeze(1)).
std::pair<torch::Tensor, torch::Tensor> waveletLevel(const torch::Tensor& x, const Wavelet& wv) {
    const auto L = conv1dFlat(x, wv.low, 0);
    const auto H = conv1dFlat(x, wv.high, 0);
    const auto LL = conv1dFlat(L, wv.low, 1);
    const auto LH = conv1dFlat(L, wv.high, 1);
    const auto HL = conv1dFlat(H, wv.low, 1);
    const auto HH = conv1dFlat(H, wv.high, 1);
    auto LLL = conv1dFlat(LL, wv.low, 2);
    auto bands = torch::cat({conv1dFlat(LL, wv.high, 2), conv1dFlat(LH, wv.low, 2), conv1dFlat(LH, wv.high, 2),
                             conv1dFlat(HL, wv.low, 2), conv1dFlat(HL, wv.high, 2), conv1dFlat(HH, wv.low, 2),
                             conv1dFlat(HH, wv.high, 2)},
                            2)
                     .squeeze(1);
    return {LLL, bands};
}


}  // namespace

torch::Tensor haarHighFrequencies(const torch::Tensor& greyVideo) {
    const auto wv = haarFilters(greyVideo.device());
    auto [low1, high1] = waveletLevel(greyVideo, wv);
    auto [low2, high2] = waveletLevel(low1, wv);
    return torch::cat({high1, high2}, 1);
}

FrequencyBlockImpl::FrequencyBlockImpl(int64_t inChannels, int64_t outChannels) {
    norm1 = register_module("norm1", vqNorm(inChannels));
    conv1 = register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(inChannels, outChannels, 5).stride(2).padding(2)));
    norm2 = register_module("norm2", vqNorm(outChannels));
    conv2 = register_module("conv2", torch::nn::Conv2d(torch::nn::Conv2dOptions(outChannels, outChannels, 5).stride(2).padding(2)));
    shortcut = register_module("shortcut", torch::nn::Conv2d(torch::nn::Conv2dOptions(inChannels, outChannels, 5).stride(4).padding(1)));
}

torch::Tensor FrequencyBlockImpl::forward(const torch::Tensor& x) {
    auto h = conv1(torch::relu(norm1(x)));
    h = conv2(torch::relu(norm2(h)));
    return h + shortcut(x);
}

FrequencyExtractorImpl::FrequencyExtractorImpl(int64_t outChannels, int64_t numResolutions) {
    conv_in = register_module("conv_in", torch::nn::Conv2d(torch::nn::Conv2dOptions(21, 64, 3).stride(2).padding(1)));
    const int64_t numBlocks = (numResolutions - 1) / 2;
    Blocks = torch::nn::Sequential();
    for (int64_t i = 0; i < numBlocks - 1; ++i) {
        Blocks->push_back(FrequencyBlock(64, 64));
    }
    Blocks->push_back(FrequencyBlock(64, outChannels));
    Blocks = register_module("Blocks", Blocks);
}

torch::Tensor FrequencyExtractorImpl::forward(const torch::Tensor& x) {
    return Blocks->forward(conv_in(x));
}

EncoderLevelImpl::EncoderLevelImpl(int64_t blockIn, int64_t blockOut, int64_t numResBlocks, bool withAttn) {
    block = torch::nn::ModuleList();
    attn = torch::nn::ModuleList();
    for (int64_t i = 0; i < numResBlocks; ++i) {
        block->push_back(VqResnetBlock(blockIn, blockOut));
        blockIn = blockOut;
        if (withAttn) {
            attn->push_back(MaxAttentionBlock(blockIn, 1, blockIn, 8));
        }
    }
    block = register_module("block", block);
    attn = register_module("attn", attn);
    downsample = register_module("downsample", VqDownsample(blockIn));
}

EncoderMidImpl::EncoderMidImpl(int64_t channels) {
    block_1 = register_module("block_1", ResnetBlockFusion(channels, channels));
    attn_1 = register_module("attn_1", STAttnBlock(channels));
    block_2 = register_module("block_2", ResnetBlockFusion(channels, channels));
}

FIEncoderImpl::FIEncoderImpl(const VqganConfig& config) : m_config(config) {
    const int64_t ch = config.ch;
    conv_in = register_module("conv_in", torch::nn::Conv2d(torch::nn::Conv2dOptions(config.inChannels, ch, 3).padding(1)));
    down = torch::nn::ModuleList();
    int64_t currRes = config.resolution;
    int64_t blockIn = ch;
    for (size_t level = 0; level < config.chMult.size(); ++level) {
        const int64_t inMult = level == 0 ? 1 : config.chMult[level - 1];
        blockIn = ch * inMult;
        const int64_t blockOut = ch * config.chMult[level];
        bool withAttn = false;
        for (int r : config.attnResolutions) {
            withAttn = withAttn || r == currRes;
        }
        down->push_back(EncoderLevel(blockIn, blockOut, config.numResBlocks, withAttn));
        blockIn = blockOut;
        currRes /= 2;
    }
    down = register_module("down", down);
    mid = register_module("mid", EncoderMid(blockIn));
    frequency_extractor = register_module("frequency_extractor", FrequencyExtractor(blockIn, numResolutions()));
    norm_out = register_module("norm_out", vqNorm(blockIn));
    conv_out = register_module("conv_out", torch::nn::Conv3d(torch::nn::Conv3dOptions(blockIn, config.zChannels, 3).padding(1)));
}

const FrameFeatures* EncoderFeatureCache::find(const torch::Tensor& frame, bool mapped, size_t depth) {
    for (const auto& e : m_entries) {
        if (e.mapped == mapped && e.features.size() >= depth && e.frame.sizes() == frame.sizes() &&
            e.frame.device() == frame.device() && e.frame.scalar_type() == frame.scalar_type() &&
            torch::equal(e.frame, frame)) {
            ++m_hits;
            return &e.features;
        }
    }
    ++m_misses;
    return nullptr;
}

void EncoderFeatureCache::insert(const torch::Tensor& frame, bool mapped, FrameFeatures features) {
    if (m_capacity == 0) {
        return;
    }
    while (m_entries.size() >= m_capacity) {
        m_entries.pop_front();
    }
    m_entries.push_back({frame.clone(), mapped, std::move(features)});
}

void EncoderFeatureCache::setCapacity(size_t capacity) {
    m_capacity = capacity;
    while (m_entries.size() > m_capacity) {
        m_entries.pop_front();
    }
}

FrameFeatures FIEncoderImpl::downPath(const torch::Tensor& frame, size_t depth, bool keepFirst) {
    if (m_memoryPlan.tiled()) {
        return downPathTiled(frame, depth, keepFirst);
    }
    FrameFeatures feats;
    auto h = conv_in(frame);
    feats.push_back(h);
    for (size_t level = 0; level < down->size() && feats.size() < depth; ++level) {
        auto lvl = down[level]->as<EncoderLevelImpl>();
        for (size_t i = 0; i < lvl->block->size(); ++i) {
            h = lvl->block[i]->as<VqResnetBlockImpl>()->forward(h);
            if (!lvl->attn->is_empty()) {
                h = lvl->attn[i]->as<MaxAttentionBlockImpl>()->forward(h);
            }
        }
        h = lvl->downsample(h);
        feats.push_back(h);
    }
    return feats;
}

namespace {

// Per-frame down paths, through the cache when there is one: raw frame i is the key, mapped frame
// i the input. The returned pointers point into `owned`, reserved here so they stay valid.
std::vector<const FrameFeatures*> frameDownPaths(FIEncoderImpl& enc, EncoderFeatureCache* cache,
                                                  const torch::Tensor& raw, const torch::Tensor& mapped,
                                                  bool isMapped, const std::vector<int64_t>& frames,
                                                  size_t depth, bool keepFirst, std::vector<FrameFeatures>& owned) {
    std::vector<const FrameFeatures*> out;
    owned.reserve(frames.size());
    for (int64_t i : frames) {
        const auto key = raw.slice(0, i, i + 1);
        // A hit is copied (tensor handles, no data): a later insert in this loop may evict its entry.
        const FrameFeatures* hit = cache != nullptr ? cache->find(key, isMapped, depth) : nullptr;
        // A tiled run may have stored the features without entry 0.
        if (hit != nullptr && keepFirst && !hit->front().defined()) {
            hit = nullptr;
        }
        if (hit != nullptr) {
            owned.push_back(*hit);
        } else {
            owned.push_back(enc.downPath(mapped.slice(0, i, i + 1), depth, keepFirst));
            if (cache != nullptr) {
                cache->insert(key, isMapped, owned.back());
            }
        }
        out.push_back(&owned.back());
    }
    return out;
}

}  // namespace

EncoderOutput FIEncoderImpl::flowFeatures(const torch::Tensor& f0, const torch::Tensor& f1, size_t numEntries,
                                          EncoderFeatureCache* cache) {
    EncoderOutput result;
    // min(cat[f0, 0, f1]) < 0  <=>  min(f0) < 0 or min(f1) < 0.
    {
        prof::Stage sync(prof::kHostSync);
        result.mappedToUnit = torch::minimum(f0.min(), f1.min()).item<float>() < 0;
    }
    auto raw = torch::cat({f0, f1}, 0);
    auto x = result.mappedToUnit ? raw / 2 + 0.5 : raw;
    std::vector<FrameFeatures> owned;
    auto feats = frameDownPaths(*this, cache, raw, x, result.mappedToUnit, {0, 1}, numEntries, true, owned);
    for (size_t l = 0; l < numEntries; ++l) {
        result.phiList.push_back(torch::cat({(*feats[0])[l], (*feats[1])[l]}));
    }
    return result;
}

EncoderOutput FIEncoderImpl::forward(const torch::Tensor& frames, EncoderFeatureCache* cache) {
    EncoderOutput result;
    torch::Tensor x = frames;
    // Data-dependent branch of the reference (needs a host sync): maps [-1,1] input to [0,1].
    bool negative = false;
    {
        prof::Stage sync(prof::kHostSync);
        negative = x.min().item<float>() < 0;
    }
    if (negative) {
        x = x / 2 + 0.5;
        result.mappedToUnit = true;
    }

    torch::Tensor highFreqFeatures;
    {
        auto vid = toVideo(x).clone();
        vid = (vid * torch::tensor({0.2989f, 0.5870f, 0.1140f}).view({1, 3, 1, 1, 1}).to(vid.device())).sum(1, true);
        highFreqFeatures = frequency_extractor(haarHighFrequencies(vid));
    }

    // The down path runs frame by frame (batch 1), with or without a cache, so that reusing cached
    // features is bit-identical to recomputing them (batch 1 and batch 3 convolutions can round
    // differently). The reference keeps every level output in `hs`; only the last is kept here.
    const size_t depth = down->size() + 1;
    std::vector<FrameFeatures> owned;
    auto feats = frameDownPaths(*this, cache, frames, x, result.mappedToUnit, {0, 1, 2}, depth, m_keepFullRes, owned);
    for (size_t l = 0; l < depth; ++l) {
        const auto& f0 = (*feats[0])[l];
        const auto& f2 = (*feats[2])[l];
        // A tiled down path leaves entry 0 undefined when it is not kept (setKeepFullResFeatures).
        result.phiList.push_back(f0.defined() && f2.defined() ? torch::cat({f0, f2}) : torch::Tensor());
    }
    torch::Tensor h = torch::cat({feats[0]->back(), feats[1]->back(), feats[2]->back()});
    feats.clear();
    owned.clear();
    x = torch::Tensor();

    h = toVideo(h);
    h = h + torch::sigmoid(highFreqFeatures.unsqueeze(2)) * h;
    highFreqFeatures = torch::Tensor();
    h = fromVideo(h);

    h = mid->block_1(h);
    h = mid->attn_1(h);
    h = mid->block_2(h);

    h = swish(norm_out(h));
    h = conv_out(toVideo(h));
    result.latent = fromVideo(h);
    return result;
}

}  // namespace vfi::model
