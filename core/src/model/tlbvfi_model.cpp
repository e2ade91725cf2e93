#include "tlbvfi_model.h"

#include <string>

#include "decoder.h"

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
        // The full-resolution phi_list[0] is read only by the scale = 1 flow refinement; a tiled
        // encoder does not keep it otherwise (64 channels at full resolution per frame).
        vqgan->encoder->setKeepFullResFeatures(scale == 1.0);
        auto enc = vqgan->encode(torch::cat({prev, torch::zeros_like(prev), next}, 0));
        // (3, C, h, w) frame-major -> (1, C, 3, h, w): the three frame latents diffuse jointly.
        auto latent = torch::stack(torch::chunk(enc.latent, 3, 0), 2);
        if (trace) {
            trace->encLatent = enc.latent;
            trace->encoderMappedToUnit = enc.encoderMappedToUnit;
            trace->xt = {latent};
        }
        enc.latent = torch::Tensor();
        auto unet = denoise_fn;
        StepObserver observer;
        if (trace) {
            observer = [trace](int64_t, const torch::Tensor& unetOut, const torch::Tensor&, const torch::Tensor& nextX) {
                trace->unetOut.push_back(unetOut);
                trace->xt.push_back(nextX);
            };
        }
        auto final = sampler().sample(
            latent,
            [&unet](const torch::Tensor& x, const torch::Tensor& t, const torch::Tensor& ctx) { return unet(x, t, ctx); },
            noise, observer);
        // (1, C, F, h, w) -> (F, C, h, w) as LatentBrownianBridgeModel.decode.
        auto p = final.permute({0, 2, 1, 3, 4});
        auto frameLatents = p.reshape({p.size(0) * p.size(1), p.size(2), p.size(3), p.size(4)});
        return vqgan->decode(frameLatents, prev, next, enc.phiList, enc.pad, scale, trace ? &trace->decode : nullptr);
    } catch (const std::exception& e) {
        return makeError(ErrorCode::ModelError, std::string("TLB-VFI sample failed: ") + e.what(), {e.what()});
    }
}

}  // namespace vfi::model
