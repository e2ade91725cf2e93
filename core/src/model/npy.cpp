#include "npy.h"

#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

namespace vfi::model {
namespace {

Error bad(const std::string& path, const std::string& what) {
    return makeError(ErrorCode::InvalidArgument, "Cannot read " + path + ": " + what + ".", {path, what});
}

// Value of `key` in the header dict, as its raw text ("'<f4'", "False", "(1, 3, 4)").
std::string headerField(const std::string& header, const std::string& key) {
    const std::regex re("['\"]" + key + "['\"]\\s*:\\s*('[^']*'|\"[^\"]*\"|\\([^)]*\\)|True|False)");
    std::smatch m;
    return std::regex_search(header, m, re) ? m[1].str() : std::string();
}

}  // namespace

Result<torch::Tensor> readNpy(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return makeError(ErrorCode::Io, "Cannot open " + path + ".", {path, "cannot open"});
    char magic[8];
    if (!in.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0) return bad(path, "not a NumPy .npy file");
    const int major = static_cast<unsigned char>(magic[6]);
    uint32_t headerLen = 0;
    unsigned char lenBytes[4] = {0, 0, 0, 0};
    if (major == 1) {
        if (!in.read(reinterpret_cast<char*>(lenBytes), 2)) return bad(path, "truncated header");
        headerLen = lenBytes[0] | (lenBytes[1] << 8);
    } else if (major == 2 || major == 3) {
        if (!in.read(reinterpret_cast<char*>(lenBytes), 4)) return bad(path, "truncated header");
        headerLen = lenBytes[0] | (lenBytes[1] << 8) | (lenBytes[2] << 16) | (static_cast<uint32_t>(lenBytes[3]) << 24);
    } else {
        return bad(path, "unsupported .npy format version " + std::to_string(major));
    }
    // Sizes come from the file: nothing is allocated beyond what the file can hold (a fuzzed header
    // declared a 4 GB header in a 200-byte file).
    const std::streampos afterLen = in.tellg();
    in.seekg(0, std::ios::end);
    const int64_t fileSize = static_cast<int64_t>(in.tellg());
    in.seekg(afterLen);
    const int64_t remaining = fileSize - static_cast<int64_t>(afterLen);
    if (static_cast<int64_t>(headerLen) > remaining) return bad(path, "truncated header");
    std::string header(headerLen, '\0');
    if (!in.read(header.data(), headerLen)) return bad(path, "truncated header");

    const std::string descr = headerField(header, "descr");
    const std::string fortran = headerField(header, "fortran_order");
    const std::string shapeText = headerField(header, "shape");
    if (descr.empty() || fortran.empty() || shapeText.empty()) return bad(path, "malformed header '" + header + "'");
    if (fortran != "False") return bad(path, "Fortran-order arrays are not supported");

    const std::string d = descr.substr(1, descr.size() - 2);
    torch::Dtype dtype;
    if (d == "<f4") dtype = torch::kFloat32;
    else if (d == "<i8") dtype = torch::kInt64;
    else if (d == "<f8") dtype = torch::kFloat64;
    else if (d == "<i4") dtype = torch::kInt32;
    else if (d == "|u1") dtype = torch::kUInt8;
    else if (d == "|b1") dtype = torch::kBool;
    else return bad(path, "unsupported dtype '" + d + "'");

    std::vector<int64_t> shape;
    std::stringstream ss(shapeText.substr(1, shapeText.size() - 2));
    std::string item;
    while (std::getline(ss, item, ',')) {
        if (item.find_first_not_of(" \t") == std::string::npos) continue;
        try {
            shape.push_back(std::stoll(item));
        } catch (const std::exception&) {
            return bad(path, "malformed shape " + shapeText);
        }
        if (shape.back() < 0) return bad(path, "malformed shape " + shapeText);
    }
    const int64_t elementSize = static_cast<int64_t>(c10::elementSize(dtype));
    const int64_t dataBytes = remaining - static_cast<int64_t>(headerLen);
    int64_t need = elementSize;
    for (int64_t dim : shape) {
        if (dim != 0 && need > dataBytes / dim) {
            need = dataBytes + 1;   // more than the file holds, however large the product
            break;
        }
        need *= dim;
    }
    if (need > dataBytes)
        return makeError(ErrorCode::Io, "Cannot read " + path + ": the file is shorter than its header says.",
                         {path, "short read"});
    torch::Tensor t = torch::empty(shape, torch::TensorOptions().dtype(dtype));
    const auto bytes = static_cast<std::streamsize>(t.numel() * static_cast<int64_t>(t.element_size()));
    if (bytes > 0 && !in.read(static_cast<char*>(t.data_ptr()), bytes))
        return makeError(ErrorCode::Io, "Cannot read " + path + ": the file is shorter than its header says.",
                         {path, "short read"});
    return t;
}

Status writeNpy(const std::string& path, const torch::Tensor& tensor) {
    torch::Tensor t = tensor.contiguous().cpu();
    std::string descr;
    if (t.scalar_type() == torch::kFloat32) descr = "<f4";
    else if (t.scalar_type() == torch::kInt64) descr = "<i8";
    else return makeError(ErrorCode::InvalidArgument, "writeNpy supports float32 and int64 only.", {path});
    std::string shape = "(";
    for (int64_t s : t.sizes()) shape += std::to_string(s) + ", ";
    if (t.dim() > 1) shape.erase(shape.size() - 2);
    else if (t.dim() == 1) shape.erase(shape.size() - 1);
    shape += ")";
    std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    const size_t total = 10 + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');
    header += '\n';
    std::ofstream out(path, std::ios::binary);
    const unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                                   static_cast<unsigned char>(header.size() & 0xff),
                                   static_cast<unsigned char>(header.size() >> 8)};
    out.write(reinterpret_cast<const char*>(pre), 10);
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    out.write(static_cast<const char*>(t.data_ptr()), static_cast<std::streamsize>(t.numel() * t.element_size()));
    if (!out) return makeError(ErrorCode::Io, "Cannot write " + path + ".", {path, "write failed"});
    return {};
}

}  // namespace vfi::model
