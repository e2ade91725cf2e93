// Pipeline benchmark (issue 2 item 11). Usage:
//   bench_pipeline [--dir D] [--frames-1080 N] [--frames-4k N] [--rss-short N] [--rss-long N] [--skip-4k] [--rss-only]
//                  [--skip-rss] [--repeat N] [--cli PATH] [--rss-encoder ffv1|libx264] [--rss-preset P]
// For each of 1080p/4K and libx264 crf 18 / FFV1 it times
//   tlbvfi interpolate SRC -o OUT --backend blend --factor 2 --encoder E [--quality 18]
//   ffmpeg -y -i SRC -vf minterpolate=fps=<2*src>:mi_mode=blend -c:v E <E's chunk settings> -pix_fmt yuv420p OUT
// where the chunk settings are, for libx264, -crf 18 -preset medium -x264-params keyint=250:min-keyint=1:
// scenecut=0:open-gop=0:bframes=3:b-pyramid=normal:ref=3 and, for FFV1, -level 3 -slices 4 -slicecrc 1 -context 0.
// and prints output fps of both and the ratio (tlbvfi / ffmpeg). Then peak RSS of tlbvfi for a short and
// a long 1080p job. Sources are made with `tlbvfi make-sample`.
// --cli runs another tlbvfi binary (e.g. a copy, so a rebuild cannot change the binary between the short
// and the long RSS job). --rss-encoder/--rss-preset choose the RSS jobs' encoder: the memory claim is about
// the pipeline, and libx264 ultrafast makes a 3,000-frame 1080p job fit on a small machine.
// --skip-rss leaves out the RSS jobs. --repeat N runs each tlbvfi/ffmpeg pair N times, alternating, and
// keeps the fastest run of each side (on a shared machine the fastest run is the one least slowed by
// other jobs; both sides get the same treatment), and prints each pair's ratio (ffmpeg s / tlbvfi s of a
// tlbvfi run and the ffmpeg run right after it), sorted: their median is the least drift-prone figure.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

namespace {

struct Run {
    double seconds = 0;
    double cpuSeconds = 0;   // user + system, the process and its threads
    long maxRssKb = 0;
    int status = -1;
};

Run runChild(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const auto t0 = std::chrono::steady_clock::now();
    std::fflush(stdout);
    const pid_t pid = fork();
    if (pid == 0) {
        if (!std::getenv("BENCH_VERBOSE")) {
            std::freopen("/dev/null", "w", stdout);
            std::freopen("/dev/null", "w", stderr);
        }
        execvp(argv[0], argv.data());
        _exit(127);
    }
    Run r;
    int st = 0;
    rusage ru{};
    wait4(pid, &st, 0, &ru);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.maxRssKb = ru.ru_maxrss;
    r.cpuSeconds = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

// The machine is shared: print the load next to the figures.
std::string loadAverage() {
    char buf[64] = {};
    if (FILE* f = std::fopen("/proc/loadavg", "r")) {
        if (!std::fgets(buf, sizeof buf, f)) buf[0] = 0;
        std::fclose(f);
    }
    std::string s(buf);
    while (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    std::string dir = "/tmp/vfi_bench";
    int frames1080 = 60, frames4k = 20, rssShort = 300, rssLong = 3000;
    bool skip4k = false, rssOnly = false, skipRss = false;
    int repeat = 1;
    std::string cli = VFI_CLI_PATH, rssEncoder = "ffv1", rssPreset;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
        if (a == "--dir") dir = next();
        else if (a == "--frames-1080") frames1080 = std::atoi(next().c_str());
        else if (a == "--frames-4k") frames4k = std::atoi(next().c_str());
        else if (a == "--rss-short") rssShort = std::atoi(next().c_str());
        else if (a == "--rss-long") rssLong = std::atoi(next().c_str());
        else if (a == "--skip-4k") skip4k = true;
        else if (a == "--rss-only") rssOnly = true;
        else if (a == "--skip-rss") skipRss = true;
        else if (a == "--repeat") repeat = std::max(1, std::atoi(next().c_str()));
        else if (a == "--cli") cli = next();
        else if (a == "--rss-encoder") rssEncoder = next();
        else if (a == "--rss-preset") rssPreset = next();
    }
    std::filesystem::create_directories(dir);
    std::printf("machine: %ld cpus; tlbvfi: %s; load at start: %s\n", sysconf(_SC_NPROCESSORS_ONLN), cli.c_str(),
                loadAverage().c_str());
    struct Size { const char* name; const char* wh; int frames; };
    std::vector<Size> sizes = {{"1080p", "1920x1080", frames1080}};
    if (!skip4k) sizes.push_back({"4K", "3840x2160", frames4k});
    // "cpu ratio": ffmpeg's CPU seconds / tlbvfi's for the same runs, the throughput a fully loaded
    // machine would see; less sensitive than wall time to what else runs on a shared machine.
    std::printf("%-6s %-8s %7s %12s %12s %8s %9s %9s %9s\n", "size", "encoder", "frames", "tlbvfi fps", "ffmpeg fps", "ratio",
                "tlbvfi s", "ffmpeg s", "cpu ratio");
    if (rssOnly) sizes.clear();
    for (const auto& s : sizes) {
        const std::string src = dir + "/src_" + s.name + ".mp4";
        runChild({cli, "make-sample", src, "--frames", std::to_string(s.frames), "--size", s.wh, "--fps", "30000/1001"});
        for (const std::string enc : {"libx264", "ffv1"}) {
            const std::string ext = enc == "ffv1" ? ".mkv" : ".mp4";
            const std::string outA = dir + "/tlbvfi_" + s.name + "_" + enc + ext;
            const std::string outB = dir + "/ffmpeg_" + s.name + "_" + enc + ext;
            // Scene-cut detection on both sides: minterpolate's scd=fdiff is on by default, so is ours.
            std::vector<std::string> a = {cli, "interpolate", src, "-o", outA, "--backend", "blend", "--factor", "2", "--encoder", enc,
                                          "--overwrite", "--min-free-gb", "0"};
            std::vector<std::string> b = {"ffmpeg", "-nostdin", "-y", "-i", src, "-an", "-vf", "minterpolate=fps=60000/1001:mi_mode=blend", "-c:v", enc};
            // The settings that shape the bitstream are the chunks' (media::resolveEncode); threads and
            // CPU extensions stay ffmpeg's own choice (all of them, AVX-512 included), the faster side.
            if (enc == "libx264") {
                a.insert(a.end(), {"--quality", "18"});
                b.insert(b.end(), {"-crf", "18", "-preset", "medium", "-x264-params",
                                   "keyint=250:min-keyint=1:scenecut=0:open-gop=0:bframes=3:b-pyramid=normal:ref=3"});
            } else {
                b.insert(b.end(), {"-level", "3", "-slices", "4", "-slicecrc", "1", "-context", "0"});
            }
            b.insert(b.end(), {"-pix_fmt", "yuv420p", outB});
            Run ra, rb;
            // Each tlbvfi run's ratio to the ffmpeg run right after it: this VM's speed drifts by
            // 10 % over minutes, which a pair run back to back mostly shares.
            std::vector<double> paired;
            for (int k = 0; k < repeat; ++k) {
                std::filesystem::remove_all(outA + ".tlbvfi");   // a kept session would be resumed, not rendered
                const Run x = runChild(a);
                const Run y = runChild(b);
                if (k == 0 || (x.status == 0 && x.seconds < ra.seconds)) ra = x;
                if (k == 0 || (y.status == 0 && y.seconds < rb.seconds)) rb = y;
                if (x.status == 0 && y.status == 0) paired.push_back(y.seconds / x.seconds);
            }
            std::sort(paired.begin(), paired.end());
            std::string pairs;
            for (double r : paired) pairs += (pairs.empty() ? "" : " ") + std::to_string(r).substr(0, 4);
            const double outFrames = (s.frames - 1) * 2.0 + 1;
            const double fa = outFrames / ra.seconds, fb = outFrames / rb.seconds;
            std::printf("%-6s %-8s %7d %12.2f %12.2f %8.2f %9.1f %9.1f %9.2f%s  (paired: %s; load %s)\n", s.name, enc.c_str(), s.frames,
                        fa, fb, fa / fb, ra.cpuSeconds, rb.cpuSeconds, rb.cpuSeconds / ra.cpuSeconds,
                        ra.status || rb.status ? "  (a run failed)" : "", pairs.c_str(), loadAverage().c_str());
            std::fflush(stdout);
        }
    }
    for (int n : {rssShort, rssLong}) {
        if (skipRss) break;
        const std::string src = dir + "/rss_" + std::to_string(n) + ".mp4";
        runChild({cli, "make-sample", src, "--frames", std::to_string(n), "--size", "1920x1080", "--fps", "30000/1001"});
        const std::string out = dir + "/rss_out_" + std::to_string(n) + (rssEncoder == "ffv1" ? ".mkv" : ".mp4");
        std::filesystem::remove_all(out + ".tlbvfi");   // a stale session of another source would be refused
        std::vector<std::string> a = {cli, "interpolate", src, "-o", out, "--backend", "blend", "--encoder", rssEncoder,
                                      "--overwrite", "--min-free-gb", "0", "--scene-threshold", "0"};
        if (!rssPreset.empty()) a.insert(a.end(), {"--preset", rssPreset});
        const Run r = runChild(a);
        std::printf("peak RSS 1080p %5d frames (%s%s%s): %8.1f MiB (%.1f s, exit %d)\n", n, rssEncoder.c_str(),
                    rssPreset.empty() ? "" : " preset ", rssPreset.c_str(), r.maxRssKb / 1024.0, r.seconds, r.status);
        std::fflush(stdout);
    }
    std::printf("load at end: %s\n", loadAverage().c_str());
    return 0;
}
