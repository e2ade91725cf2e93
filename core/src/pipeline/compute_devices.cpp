// vfi::listComputeDevices and the --devices parser (compute_devices.h).
#include "vfi/compute_devices.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <thread>

#include "pipeline/model_library_loader.h"

namespace vfi {

namespace {

std::string trim(const std::string& s) {
    size_t a = 0, b = s.size();
    while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
    while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
    return s.substr(a, b - a);
}

ComputeDevice cpuDevice() {
    ComputeDevice d;
    d.id = "cpu";
    d.kind = "cpu";
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("model name", 0) != 0) continue;
        if (const auto colon = line.find(':'); colon != std::string::npos) d.name = trim(line.substr(colon + 1));
        break;
    }
    if (d.name.empty()) d.name = "CPU";
    d.name += " (" + std::to_string(std::max(1u, std::thread::hardware_concurrency())) + " threads)";
    const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
    if (pages > 0 && page > 0) d.totalMemoryBytes = static_cast<int64_t>(pages) * page;
    return d;
}

Error badList(const std::string& text, const std::string& why) {
    return makeError(ErrorCode::InvalidArgument, "--devices '" + text + "': " + why, {"devices", text});
}

}  // namespace

std::vector<ComputeDevice> listComputeDevices() {
    std::vector<ComputeDevice> out{cpuDevice()};
    if (auto lib = pipeline::modelLibrary(); lib && lib.value()->listDevices) {
        for (auto& d : lib.value()->listDevices()) out.push_back(std::move(d));
    }
    return out;
}

std::string deviceKindOf(const std::string& id) {
    const auto colon = id.find(':');
    return colon == std::string::npos ? id : id.substr(0, colon);
}

Result<std::vector<std::string>> parseDeviceList(const std::string& text) {
    std::vector<std::string> out;
    size_t start = 0;
    for (;;) {
        const size_t comma = text.find(',', start);
        const std::string item = trim(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (item.empty()) return badList(text, "an empty entry (expected e.g. cuda:0,cuda:1, all or cpu,cpu)");
        if (item == "all") {
            if (text.find(',') != std::string::npos) return badList(text, "'all' stands alone");
            for (const auto& d : listComputeDevices())
                if (d.kind == "cuda") out.push_back(d.id);
            if (out.empty())
                return makeError(ErrorCode::DeviceUnavailable,
                                 "--devices all: no CUDA device found (no GPU, no driver, or a CPU-only LibTorch build)",
                                 {"all", "no CUDA device"});
            return out;
        }
        std::string id = item == "cuda" ? "cuda:0" : item;
        bool ok = id == "cpu" || id == "mps";
        if (id.rfind("cuda:", 0) == 0) {
            const std::string n = id.substr(5);
            ok = !n.empty() && n.size() <= 3 && std::all_of(n.begin(), n.end(), [](unsigned char c) { return std::isdigit(c); });
            if (ok) id = "cuda:" + std::to_string(std::stoi(n));
        }
        if (!ok) return badList(text, "unknown device '" + item + "' (expected cpu, cuda:N, mps or all)");
        if (!out.empty() && deviceKindOf(out.front()) != deviceKindOf(id))
            return badList(text, "devices of one job must be of one kind (" + out.front() + " and " + id +
                                     "): their frames would differ in the last bits");
        if (id != "cpu" && std::find(out.begin(), out.end(), id) != out.end())
            return badList(text, id + " is listed twice (only cpu may repeat: one CPU worker each)");
        out.push_back(id);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

}  // namespace vfi
