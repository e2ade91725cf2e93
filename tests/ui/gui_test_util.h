// Shared helpers of the GUI suites: isolated QSettings, generated clips, a slow blend interpolator
// that makes pause/quit points reachable on tiny test clips.
#pragma once

#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QThread>

#include <memory>

#include "support/media_gen.h"
#include "vfi/frame_interpolator.h"

namespace vfi::test {

// Points QSettings (INI) and QStandardPaths at fresh temp locations and clears them.
inline void isolateSettings(const QString& dir) {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("TLBVFI-test"));
    QCoreApplication::setApplicationName(QStringLiteral("tlbvfi-studio-test"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir);
    QSettings().clear();
}

// The blend backend, delayed per call: identical output (same fingerprint), but slow enough that a
// pause or quit lands in the middle of a render.
class SlowBlend : public FrameInterpolator {
public:
    explicit SlowBlend(int delayMs) : m_inner(createBlendInterpolator()), m_delayMs(delayMs) {}
    Status load() override { return m_inner->load(); }
    void release() override { m_inner->release(); }
    bool loaded() const override { return m_inner->loaded(); }
    Result<RgbFrame> interpolate(const RgbFrame& a, const RgbFrame& b, const InterpolationCall& call) override {
        QThread::msleep(static_cast<unsigned long>(m_delayMs));
        return m_inner->interpolate(a, b, call);
    }
    std::string fingerprint() const override { return m_inner->fingerprint(); }
    std::string displayName() const override { return m_inner->displayName(); }
    bool isPreviewQuality() const override { return true; }

private:
    std::unique_ptr<FrameInterpolator> m_inner;
    int m_delayMs;
};

inline GenSpec smallClip(int frames) {
    GenSpec spec;
    spec.width = 64;
    spec.height = 48;
    spec.frames = frames;
    spec.frameRate = {30, 1};
    return spec;
}

}  // namespace vfi::test
