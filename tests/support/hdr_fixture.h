// HDR10 metadata of a typical 1000-nit master, shared by the suites that check it reaches x265
// (test_encoder_table: the master-display/max-cll strings; test_chunk_encoder: the SEI in a chunk).
// Primaries R 0.68,0.32 G 0.265,0.69 B 0.15,0.06 (P3), white D65, luminance 0.005..1000 cd/m²,
// MaxCLL 1000, MaxFALL 400.
#pragma once

extern "C" {
#include <libavutil/mastering_display_metadata.h>
}

namespace vfi::test {

inline AVMasteringDisplayMetadata hdr10Mastering() {
    AVMasteringDisplayMetadata m{};
    m.display_primaries[0][0] = {34000, 50000};
    m.display_primaries[0][1] = {16000, 50000};
    m.display_primaries[1][0] = {13250, 50000};
    m.display_primaries[1][1] = {34500, 50000};
    m.display_primaries[2][0] = {7500, 50000};
    m.display_primaries[2][1] = {3000, 50000};
    m.white_point[0] = {15635, 50000};
    m.white_point[1] = {16450, 50000};
    m.max_luminance = {1000, 1};
    m.min_luminance = {50, 10000};
    m.has_primaries = m.has_luminance = 1;
    return m;
}

inline AVContentLightMetadata hdr10ContentLight() { return AVContentLightMetadata{1000, 400}; }

}  // namespace vfi::test
