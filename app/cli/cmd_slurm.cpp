// `tlbvfi slurm submit` and `tlbvfi slurm join` (docs/farm.md): one job split over a Slurm array.
// Submit prepares the session here first (the same checks as interpolate, so a refused job is never
// queued), writes render.sbatch and join.sbatch into it and queues both with `sbatch --parsable`.
#include <limits.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "cli_support.h"
#include "commands.h"
#include "exit_codes.h"
#include "slurm_scripts.h"
#include "vfi/model_download.h"
#include "vfi/session_report.h"

namespace vfi::cli {

namespace fs = std::filesystem;

namespace {

// interpolate options that submit sets itself or that make no sense for an array task.
bool submitOwns(const std::string& names) {
    for (const char* own : {"-o, --output", "--session", "--range", "--part", "--prepare-only", "--device", "--devices", "-h, --help"})
        if (names == own) return true;
    return false;
}

const OptionTable& slurmOnlyOptions() {
    static const OptionTable table = {
        {"--tasks", "N", "", "array tasks: task K renders part K of N of the chunks (required)"},
        {"--session", "DIR", "OUTPUT.tlbvfi/", "session folder on storage every node sees at the same path"},
        {"--gpus-per-task", "G", "0 (CPU)", "GPUs per array task (--gres=gpu:G); the task renders on the ones Slurm gives it"},
        {"--partition", "P", "the cluster's default", "Slurm partition"},
        {"--time", "T", "the partition's default", "time limit per task; 120 s before it a task stops cleanly and requeues itself"},
        {"--account", "A", "your default", "Slurm account"},
        {"--sbatch-arg", "ARG", "none", "an extra #SBATCH line for both scripts, e.g. --sbatch-arg=--qos=low (repeatable)"},
        {"--tlbvfi", "PATH", "this executable", "the tlbvfi the nodes run"},
        {"--dry-run", "", "off", "write and print the scripts, queue nothing"},
    };
    return table;
}

std::string absolutePath(const std::string& p) { return p.empty() ? p : fs::absolute(p).lexically_normal().string(); }

std::string selfExecutable() {
    char buf[PATH_MAX];
    const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string("tlbvfi");
}

// Runs a shell command; stdout (trimmed) and the exit status.
std::pair<int, std::string> runCommand(const std::string& command) {
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) return {-1, out};
    char buf[512];
    while (std::fgets(buf, sizeof buf, pipe)) out += buf;
    const int status = ::pclose(pipe);
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// `sbatch --parsable` prints "jobid" or "jobid;cluster".
Result<std::string> sbatch(const std::string& args) {
    auto [rc, out] = runCommand("sbatch --parsable " + args + " 2>&1");
    const std::string id = out.substr(0, out.find(';'));
    if (rc != 0 || id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
        return makeError(ErrorCode::Internal, "sbatch failed (exit " + std::to_string(rc) + "): " + out, {"sbatch", out});
    return id;
}

Status writeScript(const std::string& path, const std::string& text) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        f << text;
        if (!f) return makeError(ErrorCode::OutputNotWritable, "cannot write " + tmp, {tmp});
    }
    std::error_code ec;
    fs::permissions(tmp, fs::perms::owner_exec | fs::perms::group_exec, fs::perm_options::add, ec);
    fs::rename(tmp, path, ec);
    if (ec) return makeError(ErrorCode::OutputNotWritable, "cannot write " + path + ": " + ec.message(), {path});
    return {};
}

// Pulls every "--sbatch-arg X" / "--sbatch-arg=X" out of argv (the option parser keeps one value per name).
std::vector<std::string> takeRepeated(std::vector<std::string>& argv, const std::string& name, std::string& error) {
    std::vector<std::string> values, rest;
    for (size_t i = 0; i < argv.size(); ++i) {
        if (argv[i] == name) {
            if (i + 1 >= argv.size()) error = "option " + name + " needs a value";
            else values.push_back(argv[++i]);
        } else if (argv[i].rfind(name + "=", 0) == 0) {
            values.push_back(argv[i].substr(name.size() + 1));
        } else {
            rest.push_back(argv[i]);
        }
    }
    argv = rest;
    return values;
}

int runInterpolateWith(std::vector<std::string> args) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    return runInterpolate(static_cast<int>(args.size()), argv.data());
}

}  // namespace

const CommandHelp& slurmSubmitHelp() {
    static const CommandHelp help = [] {
        CommandHelp h;
        h.synopsis = "slurm submit INPUT -o OUTPUT --tasks N [options] [interpolate options]";
        h.summary = "Prepares the session here, writes render.sbatch (an array of N tasks, task K rendering --part K/N) and join.sbatch "
                    "(after the array, afterany) into it, and queues both with sbatch. Every interpolate option but --range, --part "
                    "and --device(s) applies to the render (docs/farm.md).";
        h.options = {{"-o, --output", "OUTPUT", "", "the joined file, on shared storage"}};
        for (const auto& o : slurmOnlyOptions()) h.options.push_back(o);
        for (const auto& o : interpolateHelp().options)
            if (!submitOwns(o.names)) h.options.push_back(o);
        h.options.push_back({"-h, --help", "", "", "show this help"});
        return h;
    }();
    return help;
}

const CommandHelp& slurmJoinHelp() {
    static const CommandHelp help{
        "slurm join SESSION_DIR -o OUTPUT --tasks N [options]",
        "What join.sbatch runs: joins a complete session; otherwise exits 6 naming the missing chunks and printing the sbatch "
        "line that renders only their parts (of N) and then joins.",
        {
            {"-o, --output", "OUTPUT", "", "the joined file"},
            {"--tasks", "N", "", "the array size the session was submitted with"},
            {"--verify", "quick|full", "quick", "check of the joined file"},
            {"--keep-chunks", "", "off", "keep the session folder after a verified join"},
            {"--overwrite", "", "off", "replace an existing OUTPUT"},
            {"-h, --help", "", "", "show this help"},
        }};
    return help;
}

namespace {

int runSubmit(int argc, char** argv) {
    std::vector<std::string> rawArgs(argv, argv + argc);
    std::string repeatError;
    const std::vector<std::string> sbatchArgs = takeRepeated(rawArgs, "--sbatch-arg", repeatError);
    if (!repeatError.empty()) return usageError(repeatError);
    std::vector<char*> rest;
    for (auto& a : rawArgs) rest.push_back(a.data());
    Args args(static_cast<int>(rest.size()), rest.data(), slurmSubmitHelp().options);
    if (args.helpRequested()) return printHelp(slurmSubmitHelp());
    if (!args.ok()) return usageError(args.error());
    if (args.positionals().size() != 1) return usageError("slurm submit needs exactly one INPUT");
    const std::string output = absolutePath(args.value("-o", args.value("--output")));
    if (output.empty()) return usageError("slurm submit needs -o OUTPUT");
    const auto tasks = parseInt(args.value("--tasks"));
    if (!tasks || *tasks < 1 || *tasks > 100000) return usageError("slurm submit needs --tasks N (1 or more array tasks)");
    const auto gpus = parseInt(args.value("--gpus-per-task", "0"));
    if (!gpus || *gpus < 0 || *gpus > 64) return usageError("--gpus-per-task must be 0..64");
    for (const auto& a : sbatchArgs)
        if (a.find('\n') != std::string::npos) return usageError("--sbatch-arg must be one line");

    SlurmScriptSpec spec;
    spec.tlbvfi = absolutePath(args.value("--tlbvfi", selfExecutable()));
    spec.input = absolutePath(args.positionals()[0]);
    spec.output = output;
    spec.session = absolutePath(args.value("--session", defaultSessionDir(output)));
    spec.logDir = spec.session + "-logs";
    spec.tasks = static_cast<int>(*tasks);
    spec.gpusPerTask = static_cast<int>(*gpus);
    spec.partition = args.value("--partition");
    spec.time = args.value("--time");
    spec.account = args.value("--account");
    spec.sbatchArgs = sbatchArgs;
    spec.pickDevices = args.value("--backend") != "blend";

    // The interpolate options, paths made absolute for the nodes; the model's default resolved here.
    for (const auto& o : interpolateHelp().options) {
        if (submitOwns(o.names)) continue;
        for (size_t at = 0; at != std::string::npos;) {
            const size_t comma = o.names.find(',', at);
            std::string name = o.names.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
            name.erase(0, name.find_first_not_of(' '));
            at = comma == std::string::npos ? comma : comma + 1;
            // The join's: a part never joins.
            if (!args.has(name) || name == "--keep-chunks" || name == "--overwrite") continue;
            spec.renderArgs.push_back(name);
            if (o.value.empty()) continue;
            const bool path = name == "--model" || name == "--config";
            spec.renderArgs.push_back(path ? absolutePath(args.value(name)) : args.value(name));
        }
    }
    if (spec.pickDevices && !args.has("--model")) {
        spec.renderArgs.push_back("--model");
        spec.renderArgs.push_back(defaultModelPath());
    }
    for (const char* flag : {"--keep-chunks", "--overwrite"})
        if (args.has(flag)) spec.joinArgs.push_back(flag);
    if (args.has("--verify")) {
        spec.joinArgs.push_back("--verify");
        spec.joinArgs.push_back(args.value("--verify"));
    }

    // Prepare: the same checks as interpolate, on this host, before anything is queued. The device
    // kind is part of the session's identity, so it is the kind the tasks will render on.
    std::vector<std::string> prepare = {spec.input, "-o", spec.output, "--session", spec.session, "--prepare-only", "--device",
                                        spec.pickDevices && spec.gpusPerTask > 0 ? "cuda:0" : "cpu"};
    prepare.insert(prepare.end(), spec.renderArgs.begin(), spec.renderArgs.end());
    if (args.has("--overwrite")) prepare.push_back("--overwrite");
    if (const int rc = runInterpolateWith(prepare); rc != kExitOk) return rc;

    std::error_code ec;
    fs::create_directories(spec.logDir, ec);
    if (ec) return reportError(makeError(ErrorCode::OutputNotWritable, "cannot create " + spec.logDir + ": " + ec.message(), {spec.logDir}));
    const std::string renderPath = (fs::path(spec.session) / "render.sbatch").string();
    const std::string joinPath = (fs::path(spec.session) / "join.sbatch").string();
    if (Status st = writeScript(renderPath, renderScript(spec)); !st) return reportError(st.error());
    if (Status st = writeScript(joinPath, joinScript(spec)); !st) return reportError(st.error());

    if (args.has("--dry-run")) {
        std::printf("==> %s <==\n%s\n==> %s <==\n%s\n", renderPath.c_str(), renderScript(spec).c_str(), joinPath.c_str(), joinScript(spec).c_str());
        std::printf("dry run: nothing queued; to queue: J=$(sbatch --parsable %s) && sbatch --parsable --dependency=afterany:${J%%%%;*} %s\n",
                    shellQuote(renderPath).c_str(), shellQuote(joinPath).c_str());
        return kExitOk;
    }
    auto renderId = sbatch(shellQuote(renderPath));
    if (!renderId) return reportError(renderId.error());
    if (Status st = recordSlurmJob(spec.session, "render", *renderId); !st) return reportError(st.error());
    std::printf("render job %s\n", renderId->c_str());
    std::fflush(stdout);
    auto joinId = sbatch("--dependency=afterany:" + *renderId + " " + shellQuote(joinPath));
    if (!joinId) return reportError(joinId.error());
    if (Status st = recordSlurmJob(spec.session, "join", *joinId); !st) return reportError(st.error());
    std::printf("join job %s\n", joinId->c_str());
    std::printf("session: %s\nlogs: %s\n(tlbvfi status %s)\n", spec.session.c_str(), spec.logDir.c_str(), shellQuote(spec.session).c_str());
    return kExitOk;
}

int runSlurmJoin(int argc, char** argv) {
    Args args(argc, argv, slurmJoinHelp().options);
    if (args.helpRequested()) return printHelp(slurmJoinHelp());
    if (!args.ok()) return usageError(args.error());
    if (args.positionals().size() != 1) return usageError("slurm join needs exactly one SESSION_DIR");
    const std::string out = args.value("-o", args.value("--output"));
    if (out.empty()) return usageError("slurm join needs -o OUTPUT");
    const auto tasks = parseInt(args.value("--tasks"));
    if (!tasks || *tasks < 1) return usageError("slurm join needs --tasks N");
    const auto verify = parseVerifyDepth(args.value("--verify", "quick"));
    if (!verify) return usageError("--verify must be quick or full");
    const std::string session = absolutePath(args.positionals()[0]);
    auto report = readSessionReport(session);
    if (!report) return reportError(report.error());
    if (!report->complete()) {
        std::printf("tlbvfi: session %s is incomplete: %d of %d chunks recorded\n", session.c_str(), report->chunksDone, report->chunksTotal);
        for (const auto& m : report->missing)
            std::printf("missing: chunks %d-%d (source frames %lld-%lld)\n", m.firstChunk, m.lastChunk,
                        static_cast<long long>(m.sourceBegin), static_cast<long long>(m.sourceEnd - 1));
        std::printf("render only them, then join after them:\n%s\n",
                    resubmitLine(session, partsWithMissingChunks(*report, static_cast<int>(*tasks))).c_str());
        std::fflush(stdout);
        return kExitSession;
    }
    ProgressPrinter printer;
    auto r = joinSession(session, out, args.has("--keep-chunks"), &printer, args.has("--overwrite"), *verify);
    printer.finish();
    if (!r) return reportError(r.error());
    for (const auto& w : r->warnings) std::fprintf(stderr, "tlbvfi: warning: %s\n", w.c_str());
    std::printf("output: %s\noutput frames: %lld\n", r->outputPath.c_str(), static_cast<long long>(r->outputFrames));
    return kExitOk;
}

}  // namespace

int runSlurm(int argc, char** argv) {
    const std::string sub = argc > 0 ? argv[0] : "";
    if (sub == "submit") return runSubmit(argc - 1, argv + 1);
    if (sub == "join") return runSlurmJoin(argc - 1, argv + 1);
    if (sub == "-h" || sub == "--help") {
        std::printf("%s\n%s", formatHelp(slurmSubmitHelp()).c_str(), formatHelp(slurmJoinHelp()).c_str());
        return kExitOk;
    }
    return usageError("slurm needs a sub-command: submit or join");
}

}  // namespace vfi::cli
