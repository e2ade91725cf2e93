#include "zip_directory.h"

#include <algorithm>
#include <fstream>
#include <vector>

namespace vfi::model {
namespace {

constexpr uint32_t kEndOfDirectory = 0x06054b50, kZip64Locator = 0x07064b50, kZip64End = 0x06064b50,
                   kDirectoryEntry = 0x02014b50;
constexpr uint64_t kDeflateMaxRatio = 1032;   // deflate's largest expansion per compressed byte

uint64_t le(const uint8_t* p, int bytes) {
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

Error damaged(const std::string& why) { return makeError(ErrorCode::CheckpointInvalid, why, {why}); }

bool readAt(std::ifstream& in, uint64_t offset, std::vector<uint8_t>& buf, size_t n) {
    buf.resize(n);
    in.clear();
    in.seekg(static_cast<std::streamoff>(offset));
    in.read(reinterpret_cast<char*>(buf.data()), static_cast<std::streamsize>(n));
    return static_cast<size_t>(in.gcount()) == n;
}

struct Directory {
    uint64_t entries = 0, size = 0, offset = 0;
};

// Finds the end-of-directory record the way miniz does (the last signature within the maximal comment
// length of the end) and follows the zip64 locator before it when a field is saturated.
Result<Directory> findDirectory(std::ifstream& in, uint64_t fileSize) {
    const uint64_t tail = std::min<uint64_t>(fileSize, 22 + 65535);
    std::vector<uint8_t> buf;
    if (fileSize < 22 || !readAt(in, fileSize - tail, buf, tail)) return damaged("the zip archive is truncated (no directory)");
    size_t at = std::string::npos;
    for (size_t i = buf.size() - 22 + 1; i-- > 0;)
        if (le(&buf[i], 4) == kEndOfDirectory) {
            at = i;
            break;
        }
    if (at == std::string::npos) return damaged("the zip archive is truncated or damaged (no end-of-directory record)");
    const uint8_t* e = &buf[at];
    Directory d{le(e + 10, 2), le(e + 12, 4), le(e + 16, 4)};
    if (d.entries == 0xffff || d.size == 0xffffffff || d.offset == 0xffffffff) {
        const uint64_t endPos = fileSize - tail + at;
        std::vector<uint8_t> loc, end64;
        if (endPos < 20 || !readAt(in, endPos - 20, loc, 20) || le(loc.data(), 4) != kZip64Locator)
            return damaged("the zip archive's zip64 directory locator is missing");
        const uint64_t end64Pos = le(loc.data() + 8, 8);
        if (end64Pos > fileSize - 56 || !readAt(in, end64Pos, end64, 56) || le(end64.data(), 4) != kZip64End)
            return damaged("the zip archive's zip64 directory record is damaged");
        d = {le(end64.data() + 32, 8), le(end64.data() + 40, 8), le(end64.data() + 48, 8)};
    }
    if (d.offset > fileSize || d.size > fileSize - d.offset || d.entries > d.size / 46)
        return damaged("the zip archive's directory lies outside the file (truncated?)");
    return d;
}

}  // namespace

Result<uint64_t> checkZipDirectory(const std::string& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) return damaged("it cannot be opened");
    const auto fileSize = static_cast<uint64_t>(in.tellg());
    VFI_ASSIGN_OR_RETURN(Directory d, findDirectory(in, fileSize));
    std::vector<uint8_t> dir;
    if (!readAt(in, d.offset, dir, static_cast<size_t>(d.size))) return damaged("the zip archive's directory is truncated");
    uint64_t largest = 0;
    size_t pos = 0;
    for (uint64_t k = 0; k < d.entries; ++k) {
        if (pos + 46 > dir.size() || le(&dir[pos], 4) != kDirectoryEntry) return damaged("the zip archive's directory is damaged");
        const uint8_t* h = &dir[pos];
        const uint64_t method = le(h + 10, 2), nameLen = le(h + 28, 2), extraLen = le(h + 30, 2), commentLen = le(h + 32, 2);
        uint64_t compressed = le(h + 20, 4), size = le(h + 24, 4), offset = le(h + 42, 4);
        if (pos + 46 + nameLen + extraLen + commentLen > dir.size()) return damaged("the zip archive's directory is damaged");
        const std::string name(reinterpret_cast<const char*>(h + 46), nameLen);
        // zip64: the saturated fields follow in this order in the extra field with id 1.
        for (size_t x = pos + 46 + nameLen, xEnd = x + extraLen; x + 4 <= xEnd;) {
            const uint64_t id = le(&dir[x], 2), len = le(&dir[x + 2], 2);
            if (x + 4 + len > xEnd) break;
            if (id == 1) {
                size_t f = x + 4;
                auto take = [&](uint64_t& v) {
                    if (v != 0xffffffff) return;
                    if (f + 8 <= x + 4 + len) v = le(&dir[f], 8);
                    f += 8;
                };
                take(size);
                take(compressed);
                take(offset);
            }
            x += 4 + len;
        }
        if (offset > fileSize || compressed > fileSize - offset)
            return damaged("record '" + name + "' lies outside the file (truncated?)");
        if (method == 0 && size != compressed)
            return damaged("record '" + name + "' declares " + std::to_string(size) + " bytes but stores " + std::to_string(compressed));
        if (method == 8 && size / kDeflateMaxRatio > compressed)
            return damaged("record '" + name + "' declares " + std::to_string(size) + " bytes, more than its " +
                           std::to_string(compressed) + " compressed bytes can hold");
        if (method != 0 && method != 8)
            return damaged("record '" + name + "' uses zip compression method " + std::to_string(method) +
                           " (torch.save writes stored records)");
        largest = std::max(largest, size);
        pos += 46 + nameLen + extraLen + commentLen;
    }
    return largest;
}

}  // namespace vfi::model
