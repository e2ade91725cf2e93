// Fuzz target: the session loaders. The input is a session folder's files separated by NUL bytes, in
// this order: session.json, index.json, manifest.json, chunk_000000.json, chunk_000001.json,
// chunk_000000.nut (missing parts are absent files). They are written to a folder on tmpfs and read
// the ways the engine reads a session: inspectSession (the GUI's resumable rows), Session::open,
// the chunk records, index.json, the manifest rebuild and `join` (which stops at the first problem).
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "pipeline/job_context.h"
#include "pipeline/session.h"
#include "vfi/job_runner.h"

namespace fs = std::filesystem;
using namespace vfi;

namespace {

const char* const kFiles[] = {"session.json", "index.json", "manifest.json", "chunk_000000.json", "chunk_000001.json",
                              "chunk_000000.nut"};

const std::string& folder() {
    static const std::string dir = [] {
        const char* shm = ::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        return std::string(shm) + "/vfi-fuzz-session-" + std::to_string(::getpid());
    }();
    return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string& dir = folder();
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::create_directories(dir, ec);
    size_t begin = 0;
    for (const char* name : kFiles) {
        if (begin > size) break;
        size_t end = begin;
        while (end < size && data[end] != 0) ++end;
        std::ofstream(dir + "/" + name, std::ios::binary).write(reinterpret_cast<const char*>(data + begin),
                                                                static_cast<std::streamsize>(end - begin));
        begin = end + 1;
    }
    (void)inspectSession(dir);
    if (auto s = pipeline::Session::open(dir)) {
        (void)s->scanRecords();
        (void)s->chunkBytes();
        (void)pipeline::readSessionIndex(*s);
        if (auto plan = pipeline::planFor(*s)) {
            std::vector<int64_t> starts;
            for (int k = 0; k < plan->chunkCount() && k < 4; ++k) starts.push_back(plan->chunk(k).sourceBegin);
            (void)s->rebuildManifest(plan->chunkCount(), starts);
        }
    }
    (void)joinSession(dir, dir + "/out.mkv", true);
    return 0;
}
