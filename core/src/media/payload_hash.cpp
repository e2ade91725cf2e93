#include "media/payload_hash.h"

extern "C" {
#include <libavcodec/codec_par.h>
#include <libavutil/mem.h>
#include <libavutil/murmur3.h>
}

#include <cstdio>

namespace vfi::media {

namespace {

bool startsWithStartCode(const uint8_t* d, int size) {
    return (size >= 3 && d[0] == 0 && d[1] == 0 && d[2] == 1) || (size >= 4 && d[0] == 0 && d[1] == 0 && d[2] == 0 && d[3] == 1);
}

// Start of the next 00 00 01 at or after p (end if none), one byte earlier when a zero precedes it:
// the same split FFmpeg's muxers use when they turn start codes into length prefixes.
const uint8_t* nextStartCode(const uint8_t* p, const uint8_t* end) {
    const uint8_t* begin = p;
    while (end - p >= 3) {
        if (p[0] == 0 && p[1] == 0 && p[2] == 1) break;
        ++p;
    }
    if (end - p < 3) return end;
    if (p > begin && p[-1] == 0) --p;
    return p;
}

void addLittleEndian(AVMurMur3* m, uint64_t v, int bytes) {
    uint8_t b[8];
    for (int i = 0; i < bytes; ++i) b[i] = static_cast<uint8_t>(v >> (8 * i));
    av_murmur3_update(m, b, bytes);
}

}  // namespace

void PayloadHash::Free::operator()(AVMurMur3* m) const { av_free(m); }

PayloadHash::PayloadHash() : m_state(av_murmur3_alloc()) {
    if (m_state) av_murmur3_init(m_state.get());
}

PayloadHash::PayloadHash(const AVCodecParameters* par) : PayloadHash() {
    if (!par) return;
    const uint8_t* x = par->extradata;
    const int n = par->extradata_size;
    if (par->codec_id == AV_CODEC_ID_H264) {
        // avcC starts with version 1; lengthSizeMinusOne in byte 4. No extradata: headers in band, Annex B.
        m_lengthSize = n >= 5 && x[0] == 1 ? (x[4] & 3) + 1 : -1;
    } else if (par->codec_id == AV_CODEC_ID_HEVC) {
        // hvcC: lengthSizeMinusOne in byte 21; Annex B extradata starts with a start code.
        m_lengthSize = n >= 23 && !startsWithStartCode(x, n) ? (x[21] & 3) + 1 : -1;
    }
}

PayloadHash::~PayloadHash() = default;
PayloadHash::PayloadHash(PayloadHash&&) noexcept = default;
PayloadHash& PayloadHash::operator=(PayloadHash&&) noexcept = default;

void PayloadHash::addUnit(const uint8_t* data, size_t size) {
    addLittleEndian(m_state.get(), size, 8);
    if (size > 0) av_murmur3_update(m_state.get(), data, size);
}

void PayloadHash::add(const uint8_t* data, size_t size) {
    if (!m_state) return;
    ++m_packets;
    // Packet boundary: a marker no unit length takes, so units cannot move between packets unnoticed.
    addLittleEndian(m_state.get(), ~uint64_t(0), 8);
    const uint8_t* end = data + size;
    if (m_lengthSize == 0 || size == 0) {
        addUnit(data, size);
    } else if (m_lengthSize < 0) {
        const uint8_t* nal = nextStartCode(data, end);
        for (;;) {
            while (nal < end && !*(nal++)) {
            }
            if (nal == end) break;
            const uint8_t* nalEnd = nextStartCode(nal, end);
            addUnit(nal, static_cast<size_t>(nalEnd - nal));
            nal = nalEnd;
        }
    } else {
        const uint8_t* p = data;
        while (end - p >= m_lengthSize) {
            uint64_t len = 0;
            for (int i = 0; i < m_lengthSize; ++i) len = (len << 8) | p[i];
            p += m_lengthSize;
            const size_t take = len <= static_cast<uint64_t>(end - p) ? static_cast<size_t>(len) : static_cast<size_t>(end - p);
            addUnit(p, take);
            p += take;
        }
        if (p < end) addUnit(p, static_cast<size_t>(end - p));   // a torn length prefix still counts
    }
}

std::string PayloadHash::finish() {
    if (!m_state) return {};
    addLittleEndian(m_state.get(), static_cast<uint64_t>(m_packets), 8);
    uint8_t digest[16];
    av_murmur3_final(m_state.get(), digest);
    char hex[33];
    for (int i = 0; i < 16; ++i) std::snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    return std::string(hex, 32);
}

}  // namespace vfi::media
