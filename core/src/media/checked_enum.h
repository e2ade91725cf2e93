// Reading FFmpeg's colour enum fields safely (probe.cpp, video_source.cpp).
#pragma once

#include <cstring>

namespace vfi::media {

// A colour field of an AVCodecParameters or AVFrame as a valid enum value: demuxers and decoders
// copy the file's code (e.g. 8 bits of a 'colr' atom or a VUI) into these enum fields unchecked, and
// reading a value outside the enum is undefined behaviour (UBSan, fuzz_media: primaries 134). The
// bytes are copied, not loaded as the enum; a value outside [0, count) becomes `unknown`.
template <class E>
E checkedEnum(const E& field, int count, E unknown) {
    static_assert(sizeof(E) == sizeof(int), "FFmpeg enums are int-sized");
    int v = 0;
    std::memcpy(&v, &field, sizeof v);
    return v >= 0 && v < count ? static_cast<E>(v) : unknown;
}

}  // namespace vfi::media
