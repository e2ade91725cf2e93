// The model downloader (vfi/model_download.h) and `tlbvfi model download` against an HTTP server on
// 127.0.0.1 that this test starts (support/http_test_server.h), serving the golden tiny checkpoint
// with the tiny configuration: a normal download, a redirect, a connection dropped half way, a restart
// from a .part file, a server that ignores Range, 404, an HTML page, a body cut short, a file that is
// not a checkpoint, one with the wrong shapes, cancel, and the recorded SHA-256. No network is used.
#include <QCryptographicHash>
#include <QtTest>

#include <signal.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "support/cli_run.h"
#include "support/http_test_server.h"
#include "support/media_gen.h"
#include "vfi/model_download.h"

using namespace vfi;
using namespace vfi::test;
namespace fs = std::filesystem;

namespace {

std::string golden() { return qEnvironmentVariable("VFI_GOLDEN_DIR").toStdString(); }
std::string tinyConfig() { return golden() + "/tiny-config.json"; }

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), {});
}

std::string sha256Of(const std::string& bytes) {
    return QCryptographicHash::hash(QByteArray::fromRawData(bytes.data(), static_cast<int>(bytes.size())), QCryptographicHash::Sha256)
        .toHex()
        .toStdString();
}

int64_t sizeOf(const std::string& path) {
    std::error_code ec;
    const auto n = fs::file_size(path, ec);
    return ec ? -1 : static_cast<int64_t>(n);
}

}  // namespace

class TestModelDownload : public QObject {
    Q_OBJECT

    std::string m_tiny;   // tiny.pth's bytes
    HttpTestServer* m_server = nullptr;

    ModelDownloadOptions options(const TempDir& tmp, const std::string& path) const {
        ModelDownloadOptions o;
        o.url = m_server->url(path);
        o.targetDir = tmp.file("models");
        o.configPath = tinyConfig();
        o.retryDelaySeconds = 0.05;
        o.maxAttempts = 3;
        return o;
    }
    HttpRoute tinyRoute() const {
        HttpRoute r;
        r.body = m_tiny;
        return r;
    }
    // No file under the final name, whatever else is there.
    static void checkNothingInstalled(const TempDir& tmp) {
        QVERIFY(!fs::exists(tmp.file("models/vimeo_unet.pth")));
        QVERIFY(!fs::exists(tmp.file("models/vimeo_unet.pth.json")));
    }

private slots:
    void initTestCase() {
        QVERIFY2(!golden().empty() && fs::exists(golden() + "/tiny.pth"), "VFI_GOLDEN_DIR must hold tiny.pth");
        m_tiny = readAll(golden() + "/tiny.pth");
        QVERIFY(m_tiny.size() > 1000000);
        m_server = new HttpTestServer;
        QVERIFY(m_server->listening());
        // A machine with a proxy configured must still reach the server directly (libcurl, and the
        // CLI started from here, read these).
        qputenv("no_proxy", "127.0.0.1,localhost");
        qputenv("NO_PROXY", "127.0.0.1,localhost");
    }
    void cleanupTestCase() { delete m_server; }
    void init() { m_server->clearRequests(); }

    void downloadsVerifiesAndRecordsTheHash() {
        TempDir tmp;
        m_server->setRoute("/tiny.pth", tinyRoute());
        std::vector<DownloadProgress> seen;
        ModelDownloader d(options(tmp, "/tiny.pth"));
        auto r = d.run([&](const DownloadProgress& p) { seen.push_back(p); });
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        const std::string path = tmp.file("models/vimeo_unet.pth");
        QCOMPARE(QString::fromStdString(r->path), QString::fromStdString(path));
        QVERIFY(readAll(path) == m_tiny);
        QCOMPARE(r->sha256, sha256Of(m_tiny));
        QCOMPARE(r->bytes, static_cast<int64_t>(m_tiny.size()));
        QCOMPARE(r->config, std::string("tiny"));
        QVERIFY(!r->alreadyPresent);
        QVERIFY(r->warnings.empty());
        QVERIFY(!fs::exists(path + ".part"));
        QVERIFY(!fs::exists(path + ".part.json"));
        auto rec = readModelRecord(path);
        QVERIFY(rec.ok());
        QCOMPARE(rec->sha256, sha256Of(m_tiny));
        QCOMPARE(rec->bytes, static_cast<int64_t>(m_tiny.size()));
        QCOMPARE(rec->url, m_server->url("/tiny.pth"));
        // Progress: the phases in order, byte counts that never go back, the announced total.
        QVERIFY(!seen.empty());
        QCOMPARE(seen.front().phase, DownloadPhase::Connecting);
        QCOMPARE(seen.back().phase, DownloadPhase::Done);
        int64_t last = 0;
        bool sawTotal = false;
        for (const auto& p : seen) {
            if (p.phase != DownloadPhase::Downloading) continue;
            QVERIFY(p.bytesDone >= last);
            last = p.bytesDone;
            sawTotal = sawTotal || p.bytesTotal == static_cast<int64_t>(m_tiny.size());
        }
        QVERIFY(sawTotal);
        QVERIFY(std::any_of(seen.begin(), seen.end(), [](const auto& p) { return p.phase == DownloadPhase::Verifying; }));

        // Already installed: nothing is fetched, the recorded hash is reported.
        m_server->clearRequests();
        ModelDownloader again(options(tmp, "/tiny.pth"));
        auto r2 = again.run();
        QVERIFY(r2.ok());
        QVERIFY(r2->alreadyPresent);
        QCOMPARE(r2->sha256, sha256Of(m_tiny));
        QVERIFY(m_server->requests().empty());
    }

    void followsARedirectLikeHuggingFace() {
        TempDir tmp;
        m_server->setRoute("/tiny.pth", tinyRoute());
        HttpRoute redirect;
        redirect.status = 302;
        redirect.location = m_server->url("/tiny.pth");
        m_server->setRoute("/resolve/main/vimeo_unet.pth", redirect);
        auto r = ModelDownloader(options(tmp, "/resolve/main/vimeo_unet.pth")).run();
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        QVERIFY(readAll(r->path) == m_tiny);
    }

    void droppedConnectionResumesWithRange() {
        TempDir tmp;
        const int64_t half = static_cast<int64_t>(m_tiny.size() / 2);
        HttpRoute route = tinyRoute();
        route.dropAtByte = half;
        route.dropTimes = 1;
        m_server->setRoute("/drop-once.pth", route);
        auto r = ModelDownloader(options(tmp, "/drop-once.pth")).run();
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        QVERIFY(readAll(r->path) == m_tiny);
        const auto reqs = m_server->requests();
        QCOMPARE(reqs.size(), size_t(2));
        QVERIFY(reqs[0].range.empty());
        QCOMPARE(reqs[1].range, "bytes=" + std::to_string(half) + "-");
        QCOMPARE(reqs[1].ifRange, std::string("\"v1\""));   // the bytes kept are guarded by the ETag
    }

    void restartContinuesFromThePartFile() {
        TempDir tmp;
        const int64_t half = static_cast<int64_t>(m_tiny.size() / 2);
        HttpRoute broken = tinyRoute();
        broken.dropAtByte = half;
        m_server->setRoute("/tiny.pth", broken);
        ModelDownloadOptions o = options(tmp, "/tiny.pth");
        o.maxAttempts = 1;
        auto first = ModelDownloader(o).run();
        QVERIFY(!first.ok());
        QCOMPARE(first.error().code, ErrorCode::Network);
        checkNothingInstalled(tmp);
        QCOMPARE(sizeOf(tmp.file("models/vimeo_unet.pth.part")), half);

        // A new downloader (a restart of the program) asks only for the rest.
        m_server->setRoute("/tiny.pth", tinyRoute());
        m_server->clearRequests();
        auto second = ModelDownloader(options(tmp, "/tiny.pth")).run();
        QVERIFY2(second.ok(), second.ok() ? "" : second.error().message.c_str());
        QCOMPARE(second->resumedFrom, half);
        QVERIFY(readAll(second->path) == m_tiny);
        QCOMPARE(m_server->requests().size(), size_t(1));
        QCOMPARE(m_server->requests()[0].range, "bytes=" + std::to_string(half) + "-");
    }

    void serverIgnoringRangeStartsOver_data() {
        QTest::addColumn<bool>("honourRange");
        QTest::addColumn<QString>("etagAfter");
        QTest::newRow("Range ignored") << false << "\"v1\"";
        QTest::newRow("file changed (If-Range)") << true << "\"v2\"";
    }
    void serverIgnoringRangeStartsOver() {
        QFETCH(bool, honourRange);
        QFETCH(QString, etagAfter);
        TempDir tmp;
        HttpRoute broken = tinyRoute();
        broken.dropAtByte = static_cast<int64_t>(m_tiny.size() / 3);
        m_server->setRoute("/tiny.pth", broken);
        ModelDownloadOptions o = options(tmp, "/tiny.pth");
        o.maxAttempts = 1;
        QVERIFY(!ModelDownloader(o).run().ok());
        QVERIFY(sizeOf(tmp.file("models/vimeo_unet.pth.part")) > 0);

        HttpRoute route = tinyRoute();
        route.honourRange = honourRange;
        route.etag = etagAfter.toStdString();
        m_server->setRoute("/tiny.pth", route);
        auto r = ModelDownloader(options(tmp, "/tiny.pth")).run();
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        QCOMPARE(r->resumedFrom, int64_t(0));   // the whole file came again, from 0
        QVERIFY(readAll(r->path) == m_tiny);
    }

    void failuresSayWhyAndInstallNothing_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("config");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("says");
        QTest::addColumn<bool>("partKept");
        QTest::newRow("404") << "/missing.pth" << "" << int(ErrorCode::Network) << "HTTP 404" << false;
        QTest::newRow("HTML page") << "/page.html" << "" << int(ErrorCode::Network) << "HTML page" << false;
        QTest::newRow("body cut short") << "/truncated.pth" << "" << int(ErrorCode::Network) << "3 attempts" << true;
        QTest::newRow("not a checkpoint") << "/random.bin" << "" << int(ErrorCode::CheckpointInvalid) << "does not load" << false;
        QTest::newRow("wrong shapes") << "/tiny.pth" << "#official" << int(ErrorCode::CheckpointInvalid) << "does not fit the 'official'"
                                      << false;
        QTest::newRow("server error") << "/busy.pth" << "" << int(ErrorCode::Network) << "HTTP 503" << false;
    }
    void failuresSayWhyAndInstallNothing() {
        QFETCH(QString, path);
        QFETCH(QString, config);
        QFETCH(int, code);
        QFETCH(QString, says);
        QFETCH(bool, partKept);
        m_server->setRoute("/tiny.pth", tinyRoute());
        HttpRoute html;
        html.contentType = "text/html; charset=utf-8";
        html.body = "<!DOCTYPE html><html><body>Sign in to download</body></html>";
        m_server->setRoute("/page.html", html);
        HttpRoute truncated = tinyRoute();
        truncated.dropAtByte = static_cast<int64_t>(m_tiny.size() / 2);
        m_server->setRoute("/truncated.pth", truncated);
        HttpRoute random;
        random.body.resize(1 << 20);
        for (size_t i = 0; i < random.body.size(); ++i) random.body[i] = static_cast<char>((i * 2654435761u) >> 13);
        m_server->setRoute("/random.bin", random);
        HttpRoute busy;
        busy.status = 503;
        busy.body = "try later";
        m_server->setRoute("/busy.pth", busy);

        TempDir tmp;
        ModelDownloadOptions o = options(tmp, path.toStdString());
        o.configPath = config.isEmpty() ? tinyConfig() : tinyConfig() + config.toStdString();
        auto r = ModelDownloader(o).run();
        QVERIFY(!r.ok());
        QCOMPARE(int(r.error().code), code);
        QVERIFY2(QString::fromStdString(r.error().message).contains(says), r.error().message.c_str());
        checkNothingInstalled(tmp);
        QCOMPARE(fs::exists(tmp.file("models/vimeo_unet.pth.part")), partKept);
        if (path == "/busy.pth") QCOMPARE(m_server->requests().size(), size_t(3));   // 5xx is retried
        if (path == "/missing.pth") QCOMPARE(m_server->requests().size(), size_t(1));   // 404 is not
    }

    void cancelKeepsThePartAndTheNextRunContinues() {
        TempDir tmp;
        HttpRoute slow = tinyRoute();
        slow.delayPerChunkMs = 20;
        m_server->setRoute("/tiny.pth", slow);
        ModelDownloader d(options(tmp, "/tiny.pth"));
        std::atomic<int64_t> bytesAtCancel{-1};
        Result<ModelDownloadResult> r = makeError(ErrorCode::Internal, "not run");
        // The GUI's arrangement: run() on a worker thread, requestCancel() from another.
        std::thread worker([&] {
            r = d.run([&](const DownloadProgress& p) {
                if (p.phase == DownloadPhase::Downloading && p.bytesDone > 100000 && bytesAtCancel < 0) bytesAtCancel = p.bytesDone;
            });
        });
        QTRY_VERIFY_WITH_TIMEOUT(bytesAtCancel >= 0, 20000);
        QElapsedTimer t;
        t.start();
        d.requestCancel();
        worker.join();
        // About a second when idle; generous for a loaded 2-core runner.
        QVERIFY2(t.elapsed() < 10000, qPrintable(QString::number(t.elapsed())));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Cancelled);
        checkNothingInstalled(tmp);
        const int64_t kept = sizeOf(tmp.file("models/vimeo_unet.pth.part"));
        QVERIFY(kept >= bytesAtCancel);

        m_server->setRoute("/tiny.pth", tinyRoute());
        auto again = ModelDownloader(options(tmp, "/tiny.pth")).run();
        QVERIFY2(again.ok(), again.ok() ? "" : again.error().message.c_str());
        QCOMPARE(again->resumedFrom, kept);
        QVERIFY(readAll(again->path) == m_tiny);
    }

    void anotherHashThanRecordedIsReported() {
        TempDir tmp;
        m_server->setRoute("/tiny.pth", tinyRoute());
        QVERIFY(ModelDownloader(options(tmp, "/tiny.pth")).run().ok());
        // The record of an earlier download of other weights (what an upstream change looks like).
        const std::string record = tmp.file("models/vimeo_unet.pth.json");
        std::string text = readAll(record);
        const std::string sha = sha256Of(m_tiny);
        text.replace(text.find(sha), sha.size(), std::string(64, 'a'));
        std::ofstream(record) << text;
        ModelDownloadOptions o = options(tmp, "/tiny.pth");
        o.force = true;
        auto r = ModelDownloader(o).run();
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        QCOMPARE(r->warnings.size(), size_t(1));
        QVERIFY(r->warnings[0].find(std::string(64, 'a')) != std::string::npos);
        QVERIFY(r->warnings[0].find(sha) != std::string::npos);
        QCOMPARE(readModelRecord(r->path)->sha256, sha);   // the new hash is remembered
    }

    void defaultFolderFollowsXdgDataHome() {
        qputenv("XDG_DATA_HOME", "/tmp/vfi-xdg-test");
        QCOMPARE(QString::fromStdString(defaultModelDir()), QStringLiteral("/tmp/vfi-xdg-test/tlbvfi-studio/models"));
        QCOMPARE(QString::fromStdString(defaultModelPath()), QStringLiteral("/tmp/vfi-xdg-test/tlbvfi-studio/models/vimeo_unet.pth"));
        qputenv("XDG_DATA_HOME", "relative/ignored");
        QVERIFY(QString::fromStdString(defaultModelDir()).endsWith(QStringLiteral("/.local/share/tlbvfi-studio/models")));
        qunsetenv("XDG_DATA_HOME");
        if (!qEnvironmentVariableIsEmpty("HOME"))
            QCOMPARE(QString::fromStdString(defaultModelDir()), qEnvironmentVariable("HOME") + "/.local/share/tlbvfi-studio/models");
    }

    // The CLI: exit 0 with the file in DIR and the hash printed; 9 with the reason for a 404; a
    // download killed half way continues from its .part when the same command runs again.
    void cliDownload() {
        TempDir tmp;
        m_server->setRoute("/tiny.pth", tinyRoute());
        const QString dir = QString::fromStdString(tmp.file("cli"));
        const QString config = QString::fromStdString(tinyConfig());
        auto ok = runCli({"model", "download", "--to", dir, "--url", QString::fromStdString(m_server->url("/tiny.pth")), "--config", config});
        CHECK_RUN(ok, 0);
        QVERIFY2(ok.stdOut.contains(QString::fromStdString("sha256: " + sha256Of(m_tiny))), qPrintable(ok.stdOut));
        QVERIFY(readAll(tmp.file("cli/vimeo_unet.pth")) == m_tiny);

        auto missing = runCli({"model", "download", "--to", QString::fromStdString(tmp.file("cli404")), "--url",
                               QString::fromStdString(m_server->url("/nothing.pth")), "--config", config});
        CHECK_RUN(missing, 9);
        QVERIFY2(missing.stdErr.contains("HTTP 404"), qPrintable(missing.stdErr));
        QVERIFY(!fs::exists(tmp.file("cli404/vimeo_unet.pth")));

        HttpRoute slow = tinyRoute();
        slow.delayPerChunkMs = 10;
        m_server->setRoute("/slow.pth", slow);
        const QStringList args{"model", "download", "--to", QString::fromStdString(tmp.file("killed")), "--url",
                               QString::fromStdString(m_server->url("/slow.pth")), "--config", config};
        const std::string part = tmp.file("killed/vimeo_unet.pth.part");
        auto killed = runCliUntil(args, [&](qint64) { return sizeOf(part) > 200000; }, 60000);
        QVERIFY(killed.killed && !killed.res.timedOut);
        const int64_t kept = sizeOf(part);
        QVERIFY(kept > 200000 && kept < static_cast<int64_t>(m_tiny.size()));
        QVERIFY(!fs::exists(tmp.file("killed/vimeo_unet.pth")));
        m_server->setRoute("/slow.pth", tinyRoute());
        m_server->clearRequests();
        auto rerun = runCli(args);
        CHECK_RUN(rerun, 0);
        QVERIFY(readAll(tmp.file("killed/vimeo_unet.pth")) == m_tiny);
        QCOMPARE(m_server->requests().size(), size_t(1));
        QVERIFY(m_server->requests()[0].range.rfind("bytes=", 0) == 0);
        QVERIFY(std::stoll(m_server->requests()[0].range.substr(6)) >= kept);

        // SIGINT: a clean cancel (exit 5), the .part kept.
        m_server->setRoute("/slow.pth", slow);
        const QStringList cancelArgs{"model", "download", "--to", QString::fromStdString(tmp.file("cancelled")), "--url",
                                     QString::fromStdString(m_server->url("/slow.pth")), "--config", config};
        auto cancelled = runCliSignalWhen(cancelArgs, SIGINT,
                                          [&](const QString&) { return sizeOf(tmp.file("cancelled/vimeo_unet.pth.part")) > 100000; });
        CHECK_RUN(cancelled, 5);
        QVERIFY2(cancelled.stdErr.contains("cancelled"), qPrintable(cancelled.stdErr));
        QVERIFY(fs::exists(tmp.file("cancelled/vimeo_unet.pth.part")));
        QVERIFY(!fs::exists(tmp.file("cancelled/vimeo_unet.pth")));
    }
};

QTEST_GUILESS_MAIN(TestModelDownload)
#include "test_model_download.moc"
