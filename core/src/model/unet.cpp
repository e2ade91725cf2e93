#include "unet.h"

#include "cross_attention.h"
#include "torch_compat.h"

#include <algorithm>
#include <cmath>

namespace vfi::model {

namespace F = torch::nn::functional;

namespace {

torch::nn::Conv3d conv3(int64_t in, int64_t out, int64_t k, int64_t pad) {
    return torch::nn::Conv3d(torch::nn::Conv3dOptions(in, out, k).padding(pad));
}

}  // namespace

GroupNorm32Impl::GroupNorm32Impl(int64_t channels)
    : torch::nn::GroupNormImpl(torch::nn::GroupNormOptions(32, channels).eps(1e-5)) {}

torch::Tensor GroupNorm32Impl::forward(const torch::Tensor& x) {
    // Contiguous on the CPU: see VqGroupNormImpl (vq_blocks.h).
    const auto f = x.to(torch::kFloat32);
    return torch::nn::GroupNormImpl::forward(f.is_cpu() ? f.contiguous() : f).to(x.scalar_type());
}

torch::Tensor timestepEmbedding(const torch::Tensor& timesteps, int64_t dim, double maxPeriod) {
    const int64_t half = dim / 2;
    auto freqs = torch::exp(-std::log(maxPeriod) * torch::arange(0, half, torch::kFloat32) / half)
                     .to(timesteps.device());
    auto args = timesteps.index({torch::indexing::Slice(), torch::indexing::None}).to(torch::kFloat32) *
                freqs.index({torch::indexing::None});
    auto emb = torch::cat({torch::cos(args), torch::sin(args)}, -1);
    if (dim % 2) {
        emb = torch::cat({emb, torch::zeros_like(emb.index({torch::indexing::Slice(), torch::indexing::Slice(0, 1)}))}, -1);
    }
    return emb;
}

UnetResBlockImpl::UnetResBlockImpl(int64_t channels, int64_t embChannels, int64_t outChannels, ResampleMode mode)
    : m_mode(mode) {
    in_layers = register_module("in_layers", torch::nn::Sequential(
        GroupNorm32(channels), torch::nn::SiLU(), conv3(channels, outChannels, 3, 1)));
    emb_layers = register_module("emb_layers", torch::nn::Sequential(
        torch::nn::SiLU(), torch::nn::Linear(embChannels, 2 * outChannels)));
    out_layers = register_module("out_layers", torch::nn::Sequential(
        GroupNorm32(outChannels), torch::nn::SiLU(), torch::nn::Dropout(0.0), conv3(outChannels, outChannels, 3, 1)));
    if (outChannels != channels) {
        skip_connection = register_module("skip_connection", conv3(channels, outChannels, 1, 0));
    }
}

torch::Tensor UnetResBlockImpl::run(const torch::Tensor& xIn, const torch::Tensor& emb) {
    torch::Tensor x = xIn;
    torch::Tensor h;
    if (m_mode != ResampleMode::None) {
        h = in_layers[1]->as<torch::nn::SiLUImpl>()->forward(in_layers[0]->as<GroupNorm32Impl>()->forward(x));
        auto resample = [&](const torch::Tensor& t) {
            if (m_mode == ResampleMode::Down) {
                return F::avg_pool3d(t, F::AvgPool3dFuncOptions({1, 2, 2}).stride({1, 2, 2}));
            }
            return F::interpolate(t, F::InterpolateFuncOptions()
                                         .size(std::vector<int64_t>{t.size(2), t.size(3) * 2, t.size(4) * 2})
                                         .mode(torch::kNearest));
        };
        h = resample(h);
        x = resample(x);
        h = in_layers[2]->as<torch::nn::Conv3dImpl>()->forward(h);
    } else {
        h = in_layers->forward(x);
    }
    auto embOut = emb_layers->forward(emb).to(h.scalar_type());
    while (embOut.dim() < h.dim()) {
        embOut = embOut.unsqueeze(-1);
    }
    auto parts = torch::chunk(embOut, 2, 1);
    h = out_layers[0]->as<GroupNorm32Impl>()->forward(h) * (1 + parts[0]) + parts[1];
    h = out_layers[1]->as<torch::nn::SiLUImpl>()->forward(h);
    h = out_layers[3]->as<torch::nn::Conv3dImpl>()->forward(h);
    if (skip_connection) {
        return skip_connection(x) + h;
    }
    return x + h;
}

UnetAttentionBlockImpl::UnetAttentionBlockImpl(int64_t channels, int64_t numHeads) : m_heads(numHeads) {
    norm = register_module("norm", GroupNorm32(channels));
    qkv = register_module("qkv", torch::nn::Conv1d(channels, channels * 3, 1));
    proj_out = register_module("proj_out", torch::nn::Conv1d(channels, channels, 1));
}

torch::Tensor UnetAttentionBlockImpl::run(const torch::Tensor& xIn, const torch::Tensor&) {
    const auto spatial = xIn.sizes().vec();
    const int64_t b = spatial[0], c = spatial[1];
    const auto x = xIn.reshape({b, c, -1});
    const auto qkvOut = qkv(norm(x));
    // QKVAttentionLegacy: split heads before q/k/v; q and k each scaled by ch^-1/4; fp32 softmax.
    const int64_t length = qkvOut.size(2);
    const int64_t ch = qkvOut.size(1) / (3 * m_heads);
    auto split = qkvOut.reshape({b * m_heads, ch * 3, length}).split(ch, 1);
#if VFI_TORCH_AT_LEAST(2, 0)
    if (fusedAttention()) {
        // (q·s)ᵀ(k·s) with s = ch^-1/4 is qᵀk / sqrt(ch): the fused kernel's default scale.
        auto tokens = [](const torch::Tensor& t) { return t.transpose(1, 2).unsqueeze(1); };
        auto fused = at::scaled_dot_product_attention(tokens(split[0]), tokens(split[1]), tokens(split[2]));
        auto a = fused.squeeze(1).transpose(1, 2).reshape({b, -1, length});
        return (x + proj_out(a)).reshape(spatial);
    }
#endif
    const double scale = 1.0 / std::sqrt(std::sqrt(static_cast<double>(ch)));
    auto weight = torch::einsum("bct,bcs->bts", {split[0] * scale, split[1] * scale});
    weight = torch::softmax(weight.to(torch::kFloat32), -1).to(weight.scalar_type());
    auto a = torch::einsum("bts,bcs->bct", {weight, split[2]}).reshape({b, -1, length});
    auto h = proj_out(a);
    return (x + h).reshape(spatial);
}

UnetConvLayerImpl::UnetConvLayerImpl(int64_t in, int64_t out) {
    torch::nn::Conv3d init(torch::nn::Conv3dOptions(in, out, 3).padding(1));
    weight = register_parameter("weight", init->weight.detach().clone());
    bias = register_parameter("bias", init->bias.detach().clone());
}

torch::Tensor UnetConvLayerImpl::run(const torch::Tensor& x, const torch::Tensor&) {
    return F::conv3d(x, weight, F::Conv3dFuncOptions().bias(bias).padding(1));
}

void TimestepSequentialImpl::append(std::shared_ptr<UnetLayer> layer) {
    register_module(std::to_string(m_layers.size()), layer);
    m_layers.push_back(std::move(layer));
}

torch::Tensor TimestepSequentialImpl::forward(const torch::Tensor& x, const torch::Tensor& emb) {
    torch::Tensor h = x;
    for (auto& layer : m_layers) {
        h = layer->run(h, emb);
    }
    return h;
}

UNetModelImpl::UNetModelImpl(const UnetConfig& config) : m_config(config) {
    const int64_t mc = config.modelChannels;
    const int64_t embDim = mc * 4;
    time_embed = register_module("time_embed", torch::nn::Sequential(
        torch::nn::Linear(mc, embDim), torch::nn::SiLU(), torch::nn::Linear(embDim, embDim)));
    auto hasAttn = [&](int64_t ds) {
        return std::find(config.attentionResolutions.begin(), config.attentionResolutions.end(), ds) !=
               config.attentionResolutions.end();
    };
    auto resBlock = [&](int64_t in, int64_t out, ResampleMode mode) {
        return std::make_shared<UnetResBlockImpl>(in, embDim, out, mode);
    };
    auto attnBlock = [&](int64_t ch) { return std::make_shared<UnetAttentionBlockImpl>(ch, config.numHeads); };

    input_blocks = torch::nn::ModuleList();
    {
        TimestepSequential first;
        first->append(std::make_shared<UnetConvLayerImpl>(config.inChannels, mc));
        input_blocks->push_back(first);
    }
    std::vector<int64_t> inputChans{mc};
    int64_t ch = mc;
    int64_t ds = 1;
    const auto levels = static_cast<int64_t>(config.channelMult.size());
    for (int64_t level = 0; level < levels; ++level) {
        for (int r = 0; r < config.numResBlocks; ++r) {
            TimestepSequential seq;
            const int64_t out = config.channelMult[level] * mc;
            seq->append(resBlock(ch, out, ResampleMode::None));
            ch = out;
            if (hasAttn(ds)) {
                seq->append(attnBlock(ch));
            }
            input_blocks->push_back(seq);
            inputChans.push_back(ch);
        }
        if (level != levels - 1) {
            TimestepSequential seq;
            seq->append(resBlock(ch, ch, ResampleMode::Down));
            input_blocks->push_back(seq);
            inputChans.push_back(ch);
            ds *= 2;
        }
    }
    input_blocks = register_module("input_blocks", input_blocks);

    middle_block = TimestepSequential();
    middle_block->append(resBlock(ch, ch, ResampleMode::None));
    middle_block->append(attnBlock(ch));
    middle_block->append(resBlock(ch, ch, ResampleMode::None));
    middle_block = register_module("middle_block", middle_block);

    output_blocks = torch::nn::ModuleList();
    for (int64_t level = levels - 1; level >= 0; --level) {
        for (int r = 0; r <= config.numResBlocks; ++r) {
            const int64_t ich = inputChans.back();
            inputChans.pop_back();
            TimestepSequential seq;
            const int64_t out = mc * config.channelMult[level];
            seq->append(resBlock(ch + ich, out, ResampleMode::None));
            ch = out;
            if (hasAttn(ds)) {
                seq->append(attnBlock(ch));
            }
            if (level > 0 && r == config.numResBlocks) {
                seq->append(resBlock(ch, ch, ResampleMode::Up));
                ds /= 2;
            }
            output_blocks->push_back(seq);
        }
    }
    output_blocks = register_module("output_blocks", output_blocks);

    out = register_module("out", torch::nn::Sequential(
        GroupNorm32(ch), torch::nn::SiLU(), conv3(mc, config.outChannels, 3, 1)));
}

torch::Tensor UNetModelImpl::forward(const torch::Tensor& x, const torch::Tensor& timesteps, const torch::Tensor& context) {
    return forwardEmbedded(x, embed(timesteps), context);
}

torch::Tensor UNetModelImpl::embed(const torch::Tensor& timesteps) {
    return time_embed->forward(timestepEmbedding(timesteps, m_config.modelChannels));
}

torch::Tensor UNetModelImpl::forwardEmbedded(const torch::Tensor& x, const torch::Tensor& emb, const torch::Tensor& context) {
    torch::Tensor h = torch::cat({x, context}, 1);
    std::vector<torch::Tensor> hs;
    for (const auto& module : *input_blocks) {
        h = module->as<TimestepSequentialImpl>()->forward(h, emb);
        hs.push_back(h);
    }
    h = middle_block(h, emb);
    for (const auto& module : *output_blocks) {
        h = torch::cat({h, hs.back()}, 1);
        hs.pop_back();
        h = module->as<TimestepSequentialImpl>()->forward(h, emb);
    }
    return out->forward(h);
}

}  // namespace vfi::model
