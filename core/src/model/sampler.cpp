#include "sampler.h"

#include <cmath>
#include <string>

#include "profiling.h"

namespace vfi::model {

SeededCpuNoise::SeededCpuNoise(uint64_t seed) : m_generator(at::detail::createCPUGenerator(seed)) {}

torch::Tensor SeededCpuNoise::next(int64_t, const torch::Tensor& like) {
    auto cpu = at::normal(0.0, 1.0, like.sizes(), m_generator, torch::TensorOptions().dtype(torch::kFloat32));
    return cpu.to(like.device(), like.scalar_type());
}

ReplayNoise::ReplayNoise(std::vector<torch::Tensor> noise) : m_noise(std::move(noise)) {}

torch::Tensor ReplayNoise::next(int64_t step, const torch::Tensor& like) {
    TORCH_CHECK(m_pos < m_noise.size(), "replayed noise exhausted at step ", step, " (", m_noise.size(), " tensors)");
    auto t = m_noise[m_pos++];
    TORCH_CHECK(t.sizes() == like.sizes(), "replayed noise for step ", step, " has shape ", t.sizes(),
                ", expected ", like.sizes());
    return t.to(like.device(), like.scalar_type());
}

torch::Tensor BatchNoise::next(int64_t step, const torch::Tensor& like) {
    TORCH_CHECK(static_cast<int64_t>(m_sources.size()) == like.size(0), "batch of ", like.size(0), " samples has ",
                m_sources.size(), " noise sources");
    std::vector<torch::Tensor> parts;
    for (size_t k = 0; k < m_sources.size(); ++k) {
        const auto i = static_cast<int64_t>(k);
        parts.push_back(m_sources[k]->next(step, like.slice(0, i, i + 1)));
    }
    return torch::cat(parts, 0);
}

Result<std::vector<int64_t>> bridgeSteps(int64_t numTimesteps, int64_t sampleSteps) {
    if (sampleSteps < 3) {
        return makeError(ErrorCode::InvalidArgument,
                         "sample steps must be at least 3 (got " + std::to_string(sampleSteps) +
                             "): the Brownian-bridge step list needs S-2 > 0 middle steps",
                         {"steps", std::to_string(sampleSteps)});
    }
    if (sampleSteps > numTimesteps) {
        return makeError(ErrorCode::InvalidArgument,
                         "sample steps must be at most " + std::to_string(numTimesteps) + " (got " +
                             std::to_string(sampleSteps) + ")",
                         {"steps", std::to_string(sampleSteps)});
    }
    // torch.arange(T-1, 1, step=-(T-1)/(S-2)) is a float32 arange (values start + i*step computed in
    // double, stored as float), then .long() truncates.
    const double start = static_cast<double>(numTimesteps - 1);
    const double step = -(static_cast<double>(numTimesteps - 1) / static_cast<double>(sampleSteps - 2));
    const auto size = static_cast<int64_t>(std::ceil((1.0 - start) / step));
    std::vector<int64_t> steps;
    for (int64_t i = 0; i < size; ++i) {
        const float v = static_cast<float>(start + static_cast<double>(i) * step);
        steps.push_back(static_cast<int64_t>(v));
    }
    steps.push_back(1);
    steps.push_back(0);
    return steps;
}

BridgeSchedule makeBridgeSchedule(int64_t numTimesteps, double maxVar) {
    const auto n = static_cast<size_t>(numTimesteps);
    std::vector<double> mT(n), mTm(n), varT(n), varTm(n), varTTm(n), post(n);
    // np.linspace(0.001, 0.999, T): i*step + start, last element exactly stop.
    const double mMin = 0.001, mMax = 0.999;
    const double stepSize = (mMax - mMin) / static_cast<double>(numTimesteps - 1);
    for (size_t i = 0; i < n; ++i) {
        mT[i] = static_cast<double>(i) * stepSize + mMin;
    }
    mT[n - 1] = mMax;
    for (size_t i = 0; i < n; ++i) {
        mTm[i] = i == 0 ? 0.0 : mT[i - 1];
        varT[i] = 2. * (mT[i] - mT[i] * mT[i]) * maxVar;
    }
    for (size_t i = 0; i < n; ++i) {
        varTm[i] = i == 0 ? 0.0 : varT[i - 1];
        const double r = (1. - mT[i]) / (1. - mTm[i]);
        varTTm[i] = varT[i] - varTm[i] * (r * r);
        post[i] = varTTm[i] * varTm[i] / varT[i];
    }
    auto f32 = [](const std::vector<double>& v) {
        return torch::tensor(v, torch::kFloat64).to(torch::kFloat32);
    };
    return {f32(mT), f32(mTm), f32(varT), f32(varTm), f32(varTTm), f32(post)};
}

BrownianBridgeSampler::BrownianBridgeSampler(torch::Tensor mT, torch::Tensor varT, std::vector<int64_t> steps, double eta)
    : m_mT(std::move(mT)), m_varT(std::move(varT)), m_steps(std::move(steps)), m_eta(eta) {}

torch::Tensor BrownianBridgeSampler::update(int64_t i, const torch::Tensor& xt, const torch::Tensor& y,
                                            const torch::Tensor& objective, NoiseSource& noise) const {
    // objective 'BB': the UNet predicts x_t - x0.
    const auto x0 = -objective + xt;
    if (m_steps[static_cast<size_t>(i)] == 0) {
        return x0;
    }
    const auto opts = torch::TensorOptions().dtype(torch::kLong).device(m_mT.device());
    const auto t = torch::full({1}, m_steps[static_cast<size_t>(i)], opts);
    const auto nt = torch::full({1}, m_steps[static_cast<size_t>(i) + 1], opts);
    auto extract = [&](const torch::Tensor& a, const torch::Tensor& idx) {
        return a.gather(-1, idx).reshape({1, 1, 1, 1, 1}).to(xt.device());
    };
    const auto mt = extract(m_mT, t);
    const auto mnt = extract(m_mT, nt);
    const auto vart = extract(m_varT, t);
    const auto varnt = extract(m_varT, nt);
    // Same float32 operation order as BrownianBridgeModel.p_sample.
    const auto sigma2 = (vart - varnt * torch::pow(1. - mt, 2) / torch::pow(1. - mnt, 2)) * varnt / vart;
    const auto sigma = torch::sqrt(sigma2) * m_eta;
    const auto n = noise.next(i, xt);
    const auto mean = (1. - mnt) * x0 + mnt * y +
                      torch::sqrt((varnt - sigma2) / vart) * (xt - (1. - mt) * x0 - mt * y);
    return mean + sigma * n;
}

torch::Tensor BrownianBridgeSampler::sample(const torch::Tensor& y, const Denoiser& denoise, NoiseSource& noise,
                                            const StepObserver& observer) const {
    torch::Tensor x = y;
    const auto opts = torch::TensorOptions().dtype(torch::kLong).device(y.device());
    for (size_t i = 0; i < m_steps.size(); ++i) {
        prof::Stage stage([i] { return prof::unetStep(i); });
        const auto t = torch::full({1}, m_steps[i], opts);
        const auto objective = denoise(x, t, y);
        auto next = update(static_cast<int64_t>(i), x, y, objective, noise);
        if (observer) {
            observer(static_cast<int64_t>(i), objective, -objective + x, next);
        }
        x = next;
    }
    return x;
}

}  // namespace vfi::model
