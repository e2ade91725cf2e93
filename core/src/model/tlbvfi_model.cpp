#include "tlbvfi_model.h"

#include <cstdlib>
#include <string>

#include "cross_attention.h"
#include "decoder.h"
#include "profiling.h"
#include "torch_compat.h"

namespace vfi::model {

TlbvfiModelImpl::TlbvfiModelImpl(const TlbvfiConfig& config) : m_config(config) {
    auto schedule = makeBridgeSchedule(config.bb.numTimesteps, config.bb.maxVar);
    m_t = register_buffer("m_t", schedule.m_t);
    m_tminus = register_buffer("m_tminus", schedule.m_tminus);
    variance_t = register_buffer("variance_t", schedule.variance_t);
    variance_tminus = register_buffer("variance_tminus", schedule.variance_tminus);
    variance_t_tminus = register_buffer("variance_t_tminus", schedule.variance_t_tminus);
    posterior_variance_t = register_buffer("posterior_variance_t", schedule.posterior_variance_t);
    denoise_fn = register_module("denoise_fn", UNetModel(config.unet));
    vqgan = register_module("vqgan", VQFlowNetInterface(config.vqgan));
    auto steps = bridgeSteps(config.bb.numTimesteps, config.bb.sampleSteps);
    if (steps) {
        m_steps = std::move(steps.value());
    }
    // An invalid step count leaves the list empty; sample() then reports it.
}

Status TlbvfiModelImpl::setSampleSteps(int64_t sampleSteps) {
    auto steps = bridgeSteps(m_config.bb.numTimesteps, sampleSteps);
    if (!steps) {
        return steps.takeError();
    }
    m_steps = std::move(steps.value());
    m_config.bb.sampleSteps = static_cast<int>(sampleSteps);
    return {};
}

void TlbvfiModelImpl::setMemoryPlan(const MemoryPlan& plan) {
    m_memoryPlan = plan;
    vqgan->encoder->setMemoryPlan(plan);
    if (vqgan->decoder) {
        vqgan->decoder->setMemoryPlan(plan);
    }
}

BrownianBridgeSampler::Denoiser TlbvfiModelImpl::denoiser() {
    auto unet = denoise_fn;
    auto graphs = m_graphs;
    return [unet, graphs](const torch::Tensor& x, const torch::Tensor& t, const torch::Tensor& ctx) mutable {
        return graphs ? graphs->run(*unet, x, t, ctx) : unet(x, t, ctx);
    };
}

void TlbvfiModelImpl::setSpeedOptions(const SpeedOptions& options) {
    m_speed = options;
    if (options.channelsLast) {
        toChannelsLast(*this);
    }
    setFusedAttention(options.sdpa);
    m_graphs = options.cudaGraphs ? std::make_shared<UnetGraphs>() : nullptr;
}

BrownianBridgeSampler TlbvfiModelImpl::sampler() const {
    return BrownianBridgeSampler(m_t, variance_t, m_steps, m_config.bb.eta);
}

Result<torch::Tensor> TlbvfiModelImpl::sample(const torch::Tensor& prev, const torch::Tensor& next, double scale,
                                              NoiseSource& noise, SampleTrace* trace) {
    if (m_steps.empty()) {
        return bridgeSteps(m_config.bb.numTimesteps, m_config.bb.sampleSteps).takeError();
    }
    if (prev.dim() != 4 || prev.size(0) != 1 || prev.size(1) != 3 || prev.sizes() != next.sizes()) {
        return makeError(ErrorCode::ModelError, "sample() expects two (1, 3, H, W) frames of the same size",
                         {"frame shape"});
    }
    if (scale != 0.25 && scale != 0.5 && scale != 1.0) {
        return makeError(ErrorCode::InvalidArgument, "flow scale must be 0.25, 0.5 or 1.0",
                         {"flow-scale", std::to_string(scale)});
    }
    try {
        torch::NoGradGuard noGrad;
        // Test hook (tests/e2e): a LibTorch error inside the model, to check what reaches the user.
        TORCH_CHECK(std::getenv("VFI_TEST_MODEL_FAIL") == nullptr, "injected model failure (VFI_TEST_MODEL_FAIL)");
        // The full-resolution phi_list[0] is read only by the scale = 1 flow refinement; a tiled
        // encoder does not keep it otherwise (64 channels at full resolution per frame).
        vqgan->encoder->setKeepFullResFeatures(scale == 1.0);
        EncodeResult enc;
        {
            prof::Stage stage(prof::kEncoderFull);
            enc = vqgan->encode(torch::cat({prev, torch::zeros_like(prev), next}, 0));
        }
        // (3, C, h, w) frame-major -> (1, C, 3, h, w): the three frame latents diffuse jointly.
        auto latent = torch::stack(torch::chunk(enc.latent, 3, 0), 2);
        if (trace) {
            trace->encLatent = enc.latent;
            trace->encoderMappedToUnit = enc.encoderMappedToUnit;
            trace->xt = {latent};
        }
        enc.latent = torch::Tensor();
        StepObserver observer;
        if (trace) {
            observer = [trace](int64_t, const torch::Tensor& unetOut, const torch::Tensor&, const torch::Tensor& nextX) {
                trace->unetOut.push_back(unetOut);
                trace->xt.push_back(nextX);
            };
        }
        auto final = sampler().sample(latent, denoiser(), noise, observer);
        // (1, C, F, h, w) -> (F, C, h, w) as LatentBrownianBridgeModel.decode.
        auto p = final.permute({0, 2, 1, 3, 4});
        auto frameLatents = p.reshape({p.size(0) * p.size(1), p.size(2), p.size(3), p.size(4)});
        return vqgan->decode(frameLatents, prev, next, enc.phiList, enc.pad, scale, trace ? &trace->decode : nullptr);
    } catch (const std::exception& e) {
        const std::string text = compat::errorText(e);
        return makeError(ErrorCode::ModelError, "TLB-VFI sample failed: " + text, {text});
    }
}

Result<torch::Tensor> TlbvfiModelImpl::sampleBatch(const torch::Tensor& prev, const torch::Tensor& next, double scale,
                                                   const std::vector<NoiseSource*>& noise) {
    const int64_t pairs = prev.dim() == 4 ? prev.size(0) : 0;
    if (pairs < 1 || static_cast<int64_t>(noise.size()) != pairs || prev.sizes() != next.sizes()) {
        return makeError(ErrorCode::ModelError, "sampleBatch() expects (B, 3, H, W) frames and B noise sources",
                         {"batch shape"});
    }
    if (pairs == 1) {
        return sample(prev, next, scale, *noise.front());
    }
    if (m_steps.empty()) {
        return bridgeSteps(m_config.bb.numTimesteps, m_config.bb.sampleSteps).takeError();
    }
    if (scale != 0.25 && scale != 0.5 && scale != 1.0) {
        return makeError(ErrorCode::InvalidArgument, "flow scale must be 0.25, 0.5 or 1.0",
                         {"flow-scale", std::to_string(scale)});
    }
    try {
        torch::NoGradGuard noGrad;
        TORCH_CHECK(std::getenv("VFI_TEST_MODEL_FAIL") == nullptr, "injected model failure (VFI_TEST_MODEL_FAIL)");
        vqgan->encoder->setKeepFullResFeatures(scale == 1.0);
        std::vector<torch::Tensor> latents;
        std::vector<std::vector<torch::Tensor>> phis;
        PadInfo pad;
        for (int64_t p = 0; p < pairs; ++p) {
            prof::Stage stage(prof::kEncoderFull);
            const auto a = prev.slice(0, p, p + 1), b = next.slice(0, p, p + 1);
            auto enc = vqgan->encode(torch::cat({a, torch::zeros_like(a), b}, 0));
            latents.push_back(torch::stack(torch::chunk(enc.latent, 3, 0), 2));
            phis.push_back(std::move(enc.phiList));
            pad = enc.pad;
        }
        auto latent = torch::cat(latents, 0);
        latents.clear();
        BatchNoise batchNoise(noise);
        auto final = sampler().sample(latent, denoiser(), batchNoise);
        latent = torch::Tensor();
        // (B, C, 3, h, w) -> (3B, C, h, w) frame-major: [frame f of every pair] for f = 0, 1, 2.
        auto frameLatents = fromVideo(final);
        final = torch::Tensor();
        if (vqgan->decoder->bandsFor(frameLatents.size(2), frameLatents.size(3))) {
            std::vector<torch::Tensor> outs;
            for (int64_t p = 0; p < pairs; ++p) {
                auto z = frameLatents.index_select(0, torch::tensor({p, pairs + p, 2 * pairs + p},
                                                                      torch::TensorOptions().dtype(torch::kLong).device(prev.device())));
                outs.push_back(vqgan->decode(z, prev.slice(0, p, p + 1), next.slice(0, p, p + 1), phis[static_cast<size_t>(p)],
                                             pad, scale));
                phis[static_cast<size_t>(p)].clear();
            }
            return torch::cat(outs, 0);
        }
        // phi_list entry l of a batch: [frame 0 of every pair, frame 2 of every pair].
        std::vector<torch::Tensor> phi;
        for (size_t l = 0; l < phis.front().size(); ++l) {
            if (!phis.front()[l].defined()) {
                phi.emplace_back();
                continue;
            }
            std::vector<torch::Tensor> parts;
            for (int64_t half = 0; half < 2; ++half)
                for (auto& pp : phis) parts.push_back(pp[l].slice(0, half, half + 1));
            phi.push_back(torch::cat(parts, 0));
        }
        phis.clear();
        return vqgan->decode(frameLatents, prev, next, phi, pad, scale);
    } catch (const std::exception& e) {
        const std::string text = compat::errorText(e);
        return makeError(ErrorCode::ModelError, "TLB-VFI sample failed: " + text, {text});
    }
}

}  // namespace vfi::model
