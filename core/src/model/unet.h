// openaimodel.py:UNetModel with the TLB-VFI configuration (dims=3, scale-shift norm, ResBlock
// up/down, legacy single-head attention). Submodule names give the official `denoise_fn.*` keys:
// time_embed.{0,2}, input_blocks.N.M, middle_block.M, output_blocks.N.M, out.{0,2}.
#pragma once

#include <torch/torch.h>

#include "model_config.h"

namespace vfi::model {

// GroupNorm32: GroupNorm(32 groups, eps 1e-5) computed in fp32, result cast back to the input dtype.
class GroupNorm32Impl : public torch::nn::GroupNormImpl {
public:
    explicit GroupNorm32Impl(int64_t channels);
    torch::Tensor forward(const torch::Tensor& x);
};
TORCH_MODULE(GroupNorm32);

// Sinusoidal [cos, sin] embedding of integer timesteps (dim even).
torch::Tensor timestepEmbedding(const torch::Tensor& timesteps, int64_t dim, double maxPeriod = 10000.0);

// A child of a TimestepEmbedSequential ("input_blocks.N.M"): ResBlock takes (x, emb), the others x.
class UnetLayer : public torch::nn::Module {
public:
    virtual torch::Tensor run(const torch::Tensor& x, const torch::Tensor& emb) = 0;
};

enum class ResampleMode { None, Down, Up };

class UnetResBlockImpl : public UnetLayer {
public:
    UnetResBlockImpl(int64_t channels, int64_t embChannels, int64_t outChannels, ResampleMode mode);
    torch::Tensor run(const torch::Tensor& x, const torch::Tensor& emb) override;

    torch::nn::Sequential in_layers{nullptr};   // 0 GroupNorm32, 1 SiLU, 2 Conv3d
    torch::nn::Sequential emb_layers{nullptr};  // 0 SiLU, 1 Linear(emb, 2·out)
    torch::nn::Sequential out_layers{nullptr};  // 0 GroupNorm32, 1 SiLU, 2 Dropout, 3 Conv3d
    torch::nn::Conv3d skip_connection{nullptr}; // only when out != in (1x1x1)

private:
    ResampleMode m_mode;
};

class UnetAttentionBlockImpl : public UnetLayer {
public:
    UnetAttentionBlockImpl(int64_t channels, int64_t numHeads);
    torch::Tensor run(const torch::Tensor& x, const torch::Tensor& emb) override;

    GroupNorm32 norm{nullptr};
    torch::nn::Conv1d qkv{nullptr}, proj_out{nullptr};

private:
    int64_t m_heads;
};

class UnetConvLayerImpl : public UnetLayer {  // input_blocks.0.0: a bare Conv3d (keys .weight/.bias)
public:
    UnetConvLayerImpl(int64_t in, int64_t out);
    torch::Tensor run(const torch::Tensor& x, const torch::Tensor& emb) override;

    torch::Tensor weight, bias;
};

// TimestepEmbedSequential: children "0", "1", ...
class TimestepSequentialImpl : public torch::nn::Module {
public:
    void append(std::shared_ptr<UnetLayer> layer);
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& emb);

private:
    std::vector<std::shared_ptr<UnetLayer>> m_layers;
};
TORCH_MODULE(TimestepSequential);

class UNetModelImpl : public torch::nn::Module {
public:
    explicit UNetModelImpl(const UnetConfig& config);
    // x: (B, 3, F, h, w) current state, context: (B, 3, F, h, w) condition, timesteps: (1,) int64.
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& timesteps, const torch::Tensor& context);
    // forward() in two parts: the time embedding (its frequencies are made on the host), then the
    // network on it, which only launches device work (what a CUDA graph captures, unet_graph.h).
    torch::Tensor embed(const torch::Tensor& timesteps);
    torch::Tensor forwardEmbedded(const torch::Tensor& x, const torch::Tensor& emb, const torch::Tensor& context);

    torch::nn::Sequential time_embed{nullptr};
    torch::nn::ModuleList input_blocks{nullptr};
    TimestepSequential middle_block{nullptr};
    torch::nn::ModuleList output_blocks{nullptr};
    torch::nn::Sequential out{nullptr};

private:
    UnetConfig m_config;
};
TORCH_MODULE(UNetModel);

}  // namespace vfi::model
