// Render-farm pieces that need no scheduler: `interpolate --part K/N` (each part renders exactly its
// share of whole chunks; the parts together join into the same frames as one run), `status` (chunks,
// missing ranges, locks, rate and ETA from the records' times, Slurm job ids; exit 0 only when
// complete) and `slurm submit --dry-run` (the scripts it writes).
#include <QtTest>

#include <QProcess>
#include <QScopeGuard>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "support/cli_run.h"
#include "support/media_gen.h"
#include "vfi/session_report.h"

using namespace vfi;
using namespace vfi::test;
namespace fs = std::filesystem;

namespace {

// Indices of the chunk records in a session folder.
std::set<int> recordedChunks(const std::string& session) {
    std::set<int> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(session, ec)) {
        const std::string n = e.path().filename().string();
        if (n.rfind("chunk_", 0) == 0 && e.path().extension() == ".json") out.insert(std::stoi(n.substr(6)));
    }
    return out;
}

QStringList partArgs(const std::string& src, const std::string& session, const QString& part) {
    return {"interpolate", QString::fromStdString(src), "--backend", "blend", "--min-free-gb", "0", "--chunk-frames", "2",
            "--encoder", "ffv1", "--session", QString::fromStdString(session), "--part", part};
}

void setMtime(const std::string& path, time_t t) {
    struct utimbuf u {t, t};
    QVERIFY2(::utime(path.c_str(), &u) == 0, path.c_str());
}

std::string hostNameText() {
    char buf[256] = {};
    ::gethostname(buf, sizeof buf - 1);
    return buf;
}

}  // namespace

class TestE2eFarm : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY2(QFile::exists(cliPath()), "VFI_CLI must point to tlbvfi"); }

    void partsCoverEveryChunkOnceAndJoinLikeOneRun() {
        TempDir tmp;
        GenSpec g;
        g.frames = 13;   // chunk-frames 2: chunks start at the pair starts 0,2,4,6,8,10 -> C = 6
        const std::string src = tmp.file("src.mp4");
        QVERIFY(generate(src, g).ok());
        const std::string session = tmp.file("parts.tlbvfi");
        // N = 4 of C = 6: [0,1) [1,3) [3,4) [4,6), run out of order as an array engine may.
        const std::vector<std::pair<int, std::set<int>>> parts = {{3, {4, 5}}, {1, {1, 2}}, {0, {0}}, {2, {3}}};
        std::set<int> expected;
        for (const auto& [k, chunks] : parts) {
            auto r = runCli(partArgs(src, session, QString("%1/4").arg(k)));
            CHECK_RUN(r, 0);
            expected.insert(chunks.begin(), chunks.end());
            QCOMPARE(recordedChunks(session), expected);
        }
        // A part rerun finds its chunks recorded and renders nothing.
        auto again = runCli(partArgs(src, session, "1/4"));
        CHECK_RUN(again, 0);
        QVERIFY2(again.stdOut.contains("chunks rendered: 0") && again.stdOut.contains("chunks resumed: 2"), qPrintable(again.stdOut));

        const std::string joined = tmp.file("parts.mkv");
        CHECK_RUN(runCli({"join", QString::fromStdString(session), "-o", QString::fromStdString(joined), "--keep-chunks"}), 0);
        const std::string whole = tmp.file("whole.mkv");
        CHECK_RUN(runCli(outputArgs(src, whole, {"--min-free-gb", "0", "--chunk-frames", "2", "--encoder", "ffv1"})), 0);
        auto a = frameHashes(joined), b = frameHashes(whole);
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(a->frames.size(), size_t((13 - 1) * 2 + 1));
        QCOMPARE(a->frames.size(), b->frames.size());
        for (size_t i = 0; i < a->frames.size(); ++i) {
            QCOMPARE(a->frames[i].pts, b->frames[i].pts);
            QCOMPARE(a->frames[i].hash, b->frames[i].hash);
        }
    }

    void morePartsThanChunksLeavesSomeEmpty() {
        TempDir tmp;
        GenSpec g;
        g.frames = 7;   // chunk-frames 2: C = 3 (pairs start at 0,2,4); N = 8: parts 0,1 empty ... part 7 = chunk 2
        const std::string src = tmp.file("src.mp4");
        QVERIFY(generate(src, g).ok());
        const std::string session = tmp.file("s.tlbvfi");
        auto empty = runCli(partArgs(src, session, "0/8"));
        CHECK_RUN(empty, 0);
        QVERIFY2(empty.stdErr.contains("part 0/8 has no chunks (the job has 3)"), qPrintable(empty.stdErr));
        QVERIFY(recordedChunks(session).empty());
        CHECK_RUN(runCli(partArgs(src, session, "7/8")), 0);
        QCOMPARE(recordedChunks(session), (std::set<int>{2}));
    }

    void badPartsAreRefused() {
        TempDir tmp;
        GenSpec g;
        g.frames = 5;
        const std::string src = tmp.file("src.mp4");
        QVERIFY(generate(src, g).ok());
        const std::string session = tmp.file("s.tlbvfi");
        for (const char* bad : {"4/4", "-1/4", "1", "a/b", "0/0"}) {
            auto r = runCli(partArgs(src, session, bad));
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.stdErr.contains("--part must be K/N"), qPrintable(r.stdErr));
        }
        auto both = runCli(partArgs(src, session, "0/2") << "--range" << "0:2");
        QCOMPARE(both.exitCode, 2);
        QVERIFY2(both.stdErr.contains("exclude each other"), qPrintable(both.stdErr));
        QVERIFY(!fs::exists(session));   // nothing was created by a refused command line
    }

    void statusReportsChunksLocksRateAndJobs() {
        TempDir tmp;
        GenSpec g;
        g.frames = 13;   // C = 6 chunks of 4 output frames, the last holds 5 (the final frame rides with it): 25
        const std::string src = tmp.file("src.mp4");
        QVERIFY(generate(src, g).ok());
        const std::string session = tmp.file("st.tlbvfi");
        // Parts 0 and 1 of 3: chunks 0-3 recorded, 4-5 missing.
        CHECK_RUN(runCli(partArgs(src, session, "0/3")), 0);
        CHECK_RUN(runCli(partArgs(src, session, "1/3")), 0);
        QCOMPARE(recordedChunks(session), (std::set<int>{0, 1, 2, 3}));
        // The records' times, 10 s apart: 12 frames (chunks 1-3) in 30 s = 0.4 frames/s; 9 frames left.
        const time_t t0 = ::time(nullptr) - 600;
        for (int k = 0; k < 4; ++k) setMtime(session + "/chunk_" + QString::number(k).rightJustified(6, '0').toStdString() + ".json", t0 + 10 * k);
        // A live lock of this process on this host (the fields a multi-device render writes, and the
        // flock it holds), one naming this live process but without the flock (what a killed render
        // that is still an unreaped zombie leaves: stale), and one of another host with a 2 h old heartbeat.
        int heldFd = -1;
        auto closeHeld = qScopeGuard([&] { if (heldFd >= 0) ::close(heldFd); });
        {
            std::ofstream(session + "/lock_4-4.json") << nlohmann::json({{"host", hostNameText()}, {"pid", static_cast<long>(::getpid())},
                                                                         {"devices", {"cuda:0", "cuda:1"}}, {"first", 4}, {"last", 4},
                                                                         {"started", t0}}).dump();
            heldFd = ::open((session + "/lock_4-4.json").c_str(), O_RDONLY | O_CLOEXEC);
            QVERIFY(heldFd >= 0 && ::flock(heldFd, LOCK_EX) == 0);
            std::ofstream(session + "/lock_3-3.json") << nlohmann::json({{"host", hostNameText()}, {"pid", static_cast<long>(::getpid())},
                                                                         {"first", 3}, {"last", 3}}).dump();
            std::ofstream(session + "/lock_5-5.json") << nlohmann::json({{"host", "node-gone"}, {"pid", 77}}).dump();
            setMtime(session + "/lock_5-5.json", ::time(nullptr) - 7200);
        }
        QVERIFY(recordSlurmJob(session, "render", "4242").ok());
        QVERIFY(!recordSlurmJob(session, "render", "42; rm -rf /").ok());

        auto rep = readSessionReport(session);
        QVERIFY2(rep.ok(), rep.ok() ? "" : rep.error().message.c_str());
        QCOMPARE(rep->chunksTotal, 6);
        QCOMPARE(rep->chunksDone, 4);
        QCOMPARE(rep->outputFramesTotal, int64_t(25));
        QCOMPARE(rep->outputFramesDone, int64_t(16));
        QVERIFY(!rep->complete());
        QCOMPARE(rep->missing.size(), size_t(1));
        QCOMPARE(rep->missing[0].firstChunk, 4);
        QCOMPARE(rep->missing[0].lastChunk, 5);
        QCOMPARE(rep->missing[0].sourceBegin, int64_t(8));
        QCOMPARE(rep->missing[0].sourceEnd, int64_t(13));
        QVERIFY(qAbs(rep->outputFramesPerSecond - 0.4) < 1e-6);
        QVERIFY(qAbs(rep->etaSeconds - 22.5) < 1e-6);
        QCOMPARE(rep->locks.size(), size_t(3));
        QVERIFY(!rep->locks[0].live && rep->locks[0].thisHost);   // its pid is alive, its flock free
        QCOMPARE(rep->locks[1].devices, std::string("cuda:0,cuda:1"));
        QCOMPARE(rep->locks[1].startedUnix, int64_t(t0));
        QVERIFY(rep->locks[1].live && rep->locks[1].thisHost);
        QVERIFY(!rep->locks[2].live && !rep->locks[2].thisHost);
        QVERIFY(rep->locks[2].heartbeatAgeSeconds > 7000);
        QCOMPARE(rep->liveLocks(), 1);
        QCOMPARE(rep->slurmJobs.size(), size_t(1));
        QCOMPARE(rep->slurmJobs[0].id, std::string("4242"));
        // The parts holding a missing chunk: of 3, part 2 (chunks 4-5); of 6, parts 4 and 5.
        QCOMPARE(partsWithMissingChunks(*rep, 3), (std::vector<int>{2}));
        QCOMPARE(partsWithMissingChunks(*rep, 6), (std::vector<int>{4, 5}));

        auto text = runCli({"status", QString::fromStdString(session), "--no-slurm"});
        QCOMPARE(text.exitCode, 5);
        for (const char* want : {"chunks: 4/6 done", "missing: chunks 4-5 (source frames 8-12)", "rate: 0.4 output frames/s",
                                 "locks: 1 live of 3", "devices cuda:0,cuda:1", "host node-gone", "slurm: render job 4242"})
            QVERIFY2(text.stdOut.contains(QLatin1String(want)), qPrintable(want + QString(" in:\n") + text.stdOut));
        auto js = runCli({"status", QString::fromStdString(session), "--json", "--no-slurm"});
        QCOMPARE(js.exitCode, 5);
        const auto j = nlohmann::json::parse(js.stdOut.toStdString(), nullptr, false);
        QVERIFY2(j.is_object(), qPrintable(js.stdOut));
        QCOMPARE(j["chunks"]["done"].get<int>(), 4);
        QCOMPARE(j["complete"].get<bool>(), false);
        QCOMPARE(j["missing"][0]["firstChunk"].get<int>(), 4);
        QCOMPARE(j["locks"][0]["live"].get<bool>(), false);
        QCOMPARE(j["locks"][1]["live"].get<bool>(), true);
        QCOMPARE(j["slurmJobs"][0]["id"].get<std::string>(), std::string("4242"));

        ::close(heldFd);
        heldFd = -1;
        fs::remove(session + "/lock_4-4.json");
        CHECK_RUN(runCli(partArgs(src, session, "2/3")), 0);
        auto done = runCli({"status", QString::fromStdString(session), "--json", "--no-slurm"});
        CHECK_RUN(done, 0);
        QVERIFY(nlohmann::json::parse(done.stdOut.toStdString())["complete"].get<bool>());
        auto none = runCli({"status", QString::fromStdString(tmp.file("nothing"))});
        QCOMPARE(none.exitCode, 6);
        QVERIFY2(none.stdErr.contains("session.json is missing"), qPrintable(none.stdErr));
    }

    void slurmSubmitDryRunWritesTheScripts() {
        TempDir tmp;
        GenSpec g;
        g.frames = 11;
        const std::string src = tmp.file("it's a clip.mp4");   // quoting in the scripts
        QVERIFY(generate(src, g).ok());
        const std::string out = tmp.file("out.mkv");
        const QStringList common = {"slurm", "submit", QString::fromStdString(src), "-o", QString::fromStdString(out), "--tasks", "3",
                                    "--backend", "blend", "--encoder", "ffv1", "--chunk-frames", "2", "--min-free-gb", "0"};
        // Refused before anything is queued or written: what interpolate refuses, and bad options.
        auto missing = runCli({"slurm", "submit", QString::fromStdString(tmp.file("none.mp4")), "-o", QString::fromStdString(out),
                               "--tasks", "2", "--backend", "blend", "--dry-run"});
        QCOMPARE(missing.exitCode, 3);
        QVERIFY(!fs::exists(out + ".tlbvfi"));
        QCOMPARE(runCli({"slurm", "submit", QString::fromStdString(src), "-o", QString::fromStdString(out), "--dry-run"}).exitCode, 2);
        QCOMPARE(runCli(QStringList(common) << "--device" << "cpu" << "--dry-run").exitCode, 2);
        QCOMPARE(runCli(QStringList(common) << "--steps" << "0" << "--dry-run").exitCode, 2);

        auto r = runCli(QStringList(common) << "--partition" << "gpu" << "--time" << "01:00:00" << "--account" << "vfx" << "--sbatch-arg"
                                            << "--qos=low" << "--sbatch-arg=--mail-type=FAIL" << "--gpus-per-task" << "2" << "--keep-chunks"
                                            << "--dry-run");
        CHECK_RUN(r, 0);
        const std::string session = out + ".tlbvfi";
        QVERIFY(fs::exists(session + "/session.json") && fs::exists(session + "/index.json"));   // prepared here
        QVERIFY(!fs::exists(session + "/slurm"));   // nothing submitted, nothing recorded
        std::ifstream rf(session + "/render.sbatch"), jf(session + "/join.sbatch");
        const std::string render((std::istreambuf_iterator<char>(rf)), {}), join((std::istreambuf_iterator<char>(jf)), {});
        for (const char* want : {"#!/bin/bash\n", "#SBATCH --array=0-2\n", "#SBATCH --requeue\n", "#SBATCH --signal=B:USR1@120\n",
                                 "#SBATCH --gres=gpu:2\n", "#SBATCH --partition=gpu\n", "#SBATCH --time=01:00:00\n", "#SBATCH --account=vfx\n",
                                 "#SBATCH --qos=low\n", "#SBATCH --mail-type=FAIL\n", "PARTS=3\n", "--part \"$PART/$PARTS\"",
                                 "trap 'STOP=1;", "scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"",
                                 "/it'\\''s a clip.mp4' -o ", "'--encoder' 'ffv1' '--chunk-frames' '2'", "--device cpu"})
            QVERIFY2(render.find(want) != std::string::npos, qPrintable(QString("render.sbatch lacks ") + want + ":\n" + QString::fromStdString(render)));
        QVERIFY2(render.find("--keep-chunks") == std::string::npos, "--keep-chunks is the join's");
        for (const char* want : {"#SBATCH --partition=gpu\n", "slurm join \"$SESSION\" -o ", "--tasks 3 '--keep-chunks'"})
            QVERIFY2(join.find(want) != std::string::npos, qPrintable(QString("join.sbatch lacks ") + want + ":\n" + QString::fromStdString(join)));
        QVERIFY2(join.find("--gres") == std::string::npos && join.find("--array") == std::string::npos, join.c_str());
        QVERIFY2(r.stdOut.contains("#SBATCH --array=0-2") && r.stdOut.contains("dry run: nothing queued"), qPrintable(r.stdOut));
        for (const std::string& script : {session + "/render.sbatch", session + "/join.sbatch"}) {
            QProcess bash;
            bash.start("bash", {"-n", QString::fromStdString(script)});
            QVERIFY(bash.waitForFinished());
            QVERIFY2(bash.exitCode() == 0, qPrintable(bash.readAllStandardError()));
        }
    }

    void submitForGpusFromAHostWithoutThem() {
        // A login node without the tasks' GPU: the options are still checked (here on the CPU), the
        // scripts pick the GPUs Slurm gives, and the first task writes the session's identity.
        const QString golden = qEnvironmentVariable("VFI_GOLDEN_DIR");
        if (golden.isEmpty() || !QFile::exists(golden + "/tiny.pth")) QSKIP("VFI_GOLDEN_DIR with tiny.pth is not set");
        TempDir tmp;
        GenSpec g;
        g.frames = 5;
        const std::string src = tmp.file("src.mp4");
        QVERIFY(generate(src, g).ok());
        const std::string out = tmp.file("out.mkv");
        const QStringList args = {"slurm", "submit", QString::fromStdString(src), "-o", QString::fromStdString(out), "--tasks", "2",
                                  "--gpus-per-task", "1", "--model", golden + "/tiny.pth", "--config", golden + "/tiny-config.json",
                                  "--precision", "fp16", "--min-free-gb", "0", "--dry-run"};
        auto bad = runCli(QStringList(args) << "--steps" << "2");
        QCOMPARE(bad.exitCode, 2);   // still refused here: TLB-VFI needs 3 steps
        auto r = runCli(args);
        CHECK_RUN(r, 0);
        const std::string session = out + ".tlbvfi";
        std::ifstream rf(session + "/render.sbatch");
        const std::string render((std::istreambuf_iterator<char>(rf)), {});
        QVERIFY2(render.find("CUDA_VISIBLE_DEVICES") != std::string::npos && render.find("#SBATCH --gres=gpu:1") != std::string::npos &&
                     render.find("'--model' '" + fs::absolute(golden.toStdString() + "/tiny.pth").lexically_normal().string() + "'") !=
                         std::string::npos,
                 render.c_str());
        // The task's devices from what Slurm shows it (a stand-in tlbvfi prints its arguments).
        CHECK_RUN(runCli(QStringList(args) << "--tlbvfi" << "/bin/echo"), 0);
        for (const auto& [visible, want] : std::vector<std::pair<QString, QString>>{
                 {"3,5", "--devices cuda:0,cuda:1 "}, {"2", "--device cuda:0 "}, {"", "--device cpu "}, {"NoDevFiles", "--device cpu "}}) {
            QProcess bash;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert("SLURM_ARRAY_TASK_ID", "1");
            env.insert("SLURM_ARRAY_JOB_ID", "5");
            if (visible.isEmpty()) env.remove("CUDA_VISIBLE_DEVICES");
            else env.insert("CUDA_VISIBLE_DEVICES", visible);
            bash.setProcessEnvironment(env);
            bash.setProcessChannelMode(QProcess::MergedChannels);
            bash.start("bash", {QString::fromStdString(session + "/render.sbatch")});
            QVERIFY(bash.waitForFinished(30000));
            const QString log = QString::fromUtf8(bash.readAll());
            QVERIFY2(log.contains("--part 1/2 " + want) && log.contains("part 1/2 exit 0"), qPrintable(visible + ": " + log));
        }
        if (r.stdErr.contains("written by the first task")) {
            QVERIFY2(r.stdErr.contains("cuda:0") && r.stdErr.contains("not available"), qPrintable(r.stdErr));
            QVERIFY(!fs::exists(session + "/session.json"));
        } else {
            QVERIFY(fs::exists(session + "/session.json"));   // a host with CUDA prepares the session itself
        }
    }

    void renderScriptRunsAPartAndSlurmJoinNamesWhatIsMissing() {
        // The scripts without a scheduler: render.sbatch with the array variables set renders its part;
        // `slurm join` on the incomplete session exits 6 with the parts to resubmit, then joins.
        TempDir tmp;
        GenSpec g;
        g.frames = 13;
        const std::string src = tmp.file("src.mp4");
        QVERIFY(generate(src, g).ok());
        const std::string out = tmp.file("out.mkv");
        CHECK_RUN(runCli({"slurm", "submit", QString::fromStdString(src), "-o", QString::fromStdString(out), "--tasks", "3", "--backend",
                          "blend", "--encoder", "ffv1", "--chunk-frames", "2", "--min-free-gb", "0", "--dry-run"}),
                  0);
        const std::string session = out + ".tlbvfi";
        for (const char* task : {"0", "2"}) {
            QProcess bash;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert("SLURM_ARRAY_TASK_ID", task);
            env.insert("SLURM_ARRAY_JOB_ID", "77");
            bash.setProcessEnvironment(env);
            bash.setProcessChannelMode(QProcess::MergedChannels);
            bash.start("bash", {QString::fromStdString(session + "/render.sbatch")});
            QVERIFY(bash.waitForFinished(60000));
            const QString log = QString::fromUtf8(bash.readAll());
            QVERIFY2(bash.exitCode() == 0 && log.contains(QString("part %1/3 exit 0").arg(task)), qPrintable(log));
        }
        QCOMPARE(recordedChunks(session), (std::set<int>{0, 1, 4, 5}));   // C = 6: parts [0,2) [2,4) [4,6)
        QVERIFY(fs::exists(session + "/slurm/render_77"));
        const QStringList join = {"slurm", "join", QString::fromStdString(session), "-o", QString::fromStdString(out), "--tasks", "3"};
        auto incomplete = runCli(join);
        QCOMPARE(incomplete.exitCode, 6);
        QVERIFY2(incomplete.stdOut.contains("4 of 6 chunks recorded") && incomplete.stdOut.contains("missing: chunks 2-3 (source frames 4-7)") &&
                     incomplete.stdOut.contains("J=$(sbatch --parsable --array=1 '" + QString::fromStdString(session) + "/render.sbatch')") &&
                     incomplete.stdOut.contains("--dependency=afterany:${J%%;*} '" + QString::fromStdString(session) + "/join.sbatch'"),
                 qPrintable(incomplete.stdOut));
        QVERIFY(!fs::exists(out));
        CHECK_RUN(runCli(partArgs(src, session, "1/3")), 0);
        CHECK_RUN(runCli(join), 0);
        auto joined = frameHashes(out);
        QVERIFY(joined.ok());
        QCOMPARE(joined->frames.size(), size_t(25));
    }
};

QTEST_GUILESS_MAIN(TestE2eFarm)
#include "test_e2e_farm.moc"
