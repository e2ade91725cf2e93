#include "vfi/encoders.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/pixdesc.h>
}

#include "media/encoder_table.h"

namespace vfi {
namespace {

EncoderInfo infoOf(const media::EncoderRule& r) {
    EncoderInfo i;
    i.name = r.encoder;
    i.qualityName = r.qualityName;
    i.qualityMin = r.qualityMin;
    i.qualityMax = r.qualityMax;
    i.qualityDefault = r.qualityDefault;
    i.hardware = r.hardware;
    i.pixFmts = r.pixFmts;
    i.pixFmt10Bit = r.default10Bit;
    i.containers = r.containers;
    i.presets = r.presets;
    i.defaultPreset = r.defaultPreset;
    return i;
}

bool usable(const media::EncoderRule& r) {
    if (!avcodec_find_encoder_by_name(r.encoder.c_str())) return false;
    if (!r.hardware) return true;
    return media::trialOpen(r.encoder, av_get_pix_fmt(r.pixFmts.front().c_str()), 1280, 720).ok();
}

}  // namespace

std::vector<EncoderInfo> allEncoders() {
    std::vector<EncoderInfo> out;
    for (const auto& r : media::encoderTable()) out.push_back(infoOf(r));
    return out;
}

const std::vector<EncoderInfo>& usableEncoders() {
    static const std::vector<EncoderInfo> list = [] {
        std::vector<EncoderInfo> out;
        for (const auto& r : media::encoderTable())
            if (usable(r)) out.push_back(infoOf(r));
        return out;
    }();
    return list;
}

}  // namespace vfi
