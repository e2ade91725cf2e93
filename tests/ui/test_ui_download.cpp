// The model download in the GUI, against an HTTP server on 127.0.0.1 that this test starts
// (support/http_test_server.h) serving the golden tiny checkpoint, verified with the tiny
// configuration: from the first-run dialog and from Settings the file ends up installed in the
// per-user model folder, its SHA-256 is shown and the checkpoint is set; a dropped connection resumes;
// a 404, an HTML page and a body cut short say why and install nothing; Cancel closes the window,
// keeps the .part file (the next download continues from it) and leaves no file under the final name.
#include <QCryptographicHash>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QtTest>

#include <filesystem>
#include <fstream>

#include "gui_test_util.h"
#include "support/http_test_server.h"
#include "support/media_gen.h"
#include "ui/app_settings.h"
#include "ui/first_run_dialog.h"
#include "ui/model_download_dialog.h"
#include "ui/settings_dialog.h"
#include "ui/translations.h"

using namespace vfi;
using namespace vfi::ui;
using namespace vfi::test;
namespace fs = std::filesystem;

namespace {

std::string golden() { return qEnvironmentVariable("VFI_GOLDEN_DIR").toStdString(); }
QString tinyConfig() { return QString::fromStdString(golden() + "/tiny-config.json"); }

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), {});
}

QString sha256Of(const std::string& bytes) {
    return QString::fromLatin1(
        QCryptographicHash::hash(QByteArray::fromRawData(bytes.data(), static_cast<int>(bytes.size())), QCryptographicHash::Sha256).toHex());
}

int64_t sizeOf(const std::string& path) {
    std::error_code ec;
    const auto n = fs::file_size(path, ec);
    return ec ? -1 : static_cast<int64_t>(n);
}

constexpr int kDone = 120000;   // download + strict load of the tiny model on a loaded 2-core runner

}  // namespace

class TestUiDownload : public QObject {
    Q_OBJECT

    std::string m_tiny;
    HttpTestServer* m_server = nullptr;
    std::unique_ptr<TempDir> m_settingsDir;
    std::unique_ptr<TempDir> m_data;   // XDG_DATA_HOME of the current test function

    std::string modelFile() const { return m_data->file("tlbvfi-studio/models/vimeo_unet.pth"); }
    AppSettings settingsFor(const std::string& route) const {
        AppSettings s;
        s.modelUrl = QString::fromStdString(m_server->url(route));
        s.modelConfig = tinyConfig();
        return s;
    }
    HttpRoute tinyRoute() const {
        HttpRoute r;
        r.body = m_tiny;
        return r;
    }
    // The hash is readable in full: not clipped sideways (64 digits do not wrap) nor cut below.
    static void checkHashReadable(QDialog* dialog, const QString& sha) {
        QLabel* info = nullptr;
        for (QLabel* l : dialog->findChildren<QLabel*>())
            if (l->text().contains(sha)) info = l;
        QVERIFY(info);
        QTest::qWait(50);
        QVERIFY2(info->width() >= info->fontMetrics().horizontalAdvance(sha), qPrintable(QStringLiteral("%1 px wide").arg(info->width())));
        QVERIFY2(info->height() >= info->heightForWidth(info->width()),
                 qPrintable(QStringLiteral("%1 px high, %2 needed").arg(info->height()).arg(info->heightForWidth(info->width()))));
    }
    static ModelDownloadTask* taskOf(ModelDownloadDialog* d) { return d->findChild<ModelDownloadTask*>(); }

private slots:
    void initTestCase() {
        QVERIFY2(!golden().empty() && fs::exists(golden() + "/tiny.pth"), "VFI_GOLDEN_DIR must hold tiny.pth");
        m_tiny = readAll(golden() + "/tiny.pth");
        QVERIFY(m_tiny.size() > 1000000);
        m_settingsDir = std::make_unique<TempDir>();
        isolateSettings(m_settingsDir->path());
        installTranslations(QStringLiteral("en"));
        m_server = new HttpTestServer;
        QVERIFY(m_server->listening());
        qputenv("no_proxy", "127.0.0.1,localhost");
        qputenv("NO_PROXY", "127.0.0.1,localhost");
    }
    void cleanupTestCase() { delete m_server; }
    void init() {
        m_server->clearRequests();
        m_server->setRoute("/tiny.pth", tinyRoute());
        m_data = std::make_unique<TempDir>();
        qputenv("XDG_DATA_HOME", m_data->path().toUtf8());
    }

    void firstRunDownloadInstallsTheModel() {
        FirstRunDialog fr(settingsFor("/tiny.pth"));
        fr.show();
        QVERIFY(QTest::qWaitForWindowExposed(&fr));
        QTest::mouseClick(fr.downloadButton(), Qt::LeftButton);
        QPointer<ModelDownloadDialog> dl = fr.findChild<ModelDownloadDialog*>();
        QVERIFY(dl);
        QVERIFY(dl->isVisible());
        QSignalSpy progress(taskOf(dl), &ModelDownloadTask::progressed);
        QTRY_VERIFY_WITH_TIMEOUT(dl->state() != ModelDownloadDialog::State::Running, kDone);
        QCOMPARE(int(dl->state()), int(ModelDownloadDialog::State::Succeeded));
        QVERIFY(readAll(modelFile()) == m_tiny);
        QVERIFY(!fs::exists(modelFile() + ".part"));
        const QString sha = sha256Of(m_tiny);
        QVERIFY2(dl->statusText().contains(QStringLiteral("SHA-256: ") + sha), qPrintable(dl->statusText()));
        QVERIFY2(dl->statusText().contains(QString::fromStdString(modelFile())), qPrintable(dl->statusText()));
        // Progress came as typed reports: bytes of the announced size, then the check.
        bool sawBytes = false, sawVerify = false;
        for (const auto& args : progress) {
            const auto p = args.at(0).value<DownloadProgress>();
            sawBytes = sawBytes || (p.phase == DownloadPhase::Downloading && p.bytesTotal == int64_t(m_tiny.size()));
            sawVerify = sawVerify || p.phase == DownloadPhase::Verifying;
        }
        QVERIFY(sawBytes && sawVerify);
        // The hash stays on screen until the user closes the window; that finishes the first run.
        QVERIFY(fr.isVisible());
        QCOMPARE(fr.checkpointPath(), QString::fromStdString(modelFile()));
        QTest::mouseClick(dl->closeButton(), Qt::LeftButton);
        QTRY_VERIFY(dl.isNull());
        QCOMPARE(fr.result(), int(QDialog::Accepted));
        QCOMPARE(int(fr.choice()), int(FirstRunDialog::Choice::Checkpoint));
        QCOMPARE(fr.checkpointSha256(), sha);
        QVERIFY(validateCheckpoint(fr.checkpointPath()).isEmpty());
    }

    void settingsDownloadSetsTheCheckpointAndShowsTheHash() {
        AppSettings s = settingsFor("/nowhere.pth");
        s.blendFallback = true;
        SettingsDialog sd(s, 30);
        sd.show();
        QVERIFY(QTest::qWaitForWindowExposed(&sd));
        QVERIFY(sd.modelInfoText().isEmpty());
        // The URL typed in the Model tab is the one used (the saved one answers 404).
        const QString url = QString::fromStdString(m_server->url("/tiny.pth"));
        sd.modelUrlEdit()->setText(url);
        QTest::mouseClick(sd.downloadButton(), Qt::LeftButton);
        QPointer<ModelDownloadDialog> dl = sd.findChild<ModelDownloadDialog*>();
        QVERIFY(dl);
        QTRY_VERIFY_WITH_TIMEOUT(dl->state() != ModelDownloadDialog::State::Running, kDone);
        QVERIFY2(dl->state() == ModelDownloadDialog::State::Succeeded, qPrintable(dl->statusText()));
        const QString sha = sha256Of(m_tiny);
        QVERIFY(dl->statusText().contains(sha));
        QTest::mouseClick(dl->closeButton(), Qt::LeftButton);
        QTRY_VERIFY(dl.isNull());
        const AppSettings out = sd.settings();
        QCOMPARE(out.checkpointPath, QString::fromStdString(modelFile()));
        QVERIFY(!out.blendFallback);   // a downloaded model is meant to be used
        QCOMPARE(out.modelSha256, sha);
        QCOMPARE(out.modelUrl, url);
        QVERIFY(sd.checkpointError().isEmpty());
        QVERIFY2(sd.modelInfoText().contains(QStringLiteral("SHA-256:\n") + sha), qPrintable(sd.modelInfoText()));
        QVERIFY(sd.modelInfoText().contains(url));
        QVERIFY(!sd.modelInfoText().contains(QStringLiteral("differs")));
        checkHashReadable(&sd, sha);
        if (QTest::currentTestFailed()) return;

        // Saved and loaded back: the hash is remembered.
        out.save();
        QCOMPARE(AppSettings::load().modelSha256, sha);

        // Another hash remembered from before (what a change of the published weights looks like):
        // Settings and the download window say so, naming both.
        AppSettings other = out;
        other.modelSha256 = QString(64, QLatin1Char('a'));
        SettingsDialog sd2(other, 30);
        sd2.show();
        QVERIFY(QTest::qWaitForWindowExposed(&sd2));
        QVERIFY2(sd2.modelInfoText().contains(QStringLiteral("differs")) && sd2.modelInfoText().contains(other.modelSha256),
                 qPrintable(sd2.modelInfoText()));
        checkHashReadable(&sd2, sha);   // set before the window was shown
        if (QTest::currentTestFailed()) return;
        QPointer<ModelDownloadDialog> again = sd2.startDownload();
        QTRY_VERIFY_WITH_TIMEOUT(again->state() != ModelDownloadDialog::State::Running, kDone);
        QVERIFY(again->state() == ModelDownloadDialog::State::Succeeded);
        QVERIFY(again->outcome().result.alreadyPresent);
        const QString text = again->statusText();
        QVERIFY2(text.contains(QStringLiteral("already downloaded")) && text.contains(other.modelSha256) && text.contains(sha), qPrintable(text));
        QTest::mouseClick(again->closeButton(), Qt::LeftButton);
        QCOMPARE(sd2.settings().modelSha256, sha);   // the current file's hash is remembered from now on
    }

    void droppedConnectionResumes() {
        const int64_t half = static_cast<int64_t>(m_tiny.size() / 2);
        HttpRoute route = tinyRoute();
        route.dropAtByte = half;
        route.dropTimes = 1;
        m_server->setRoute("/drop-once.pth", route);
        ModelDownloadDialog dl(downloadOptionsFor(settingsFor("/drop-once.pth")), QString());
        dl.show();
        dl.start();
        QSignalSpy progress(taskOf(&dl), &ModelDownloadTask::progressed);
        QTRY_VERIFY_WITH_TIMEOUT(dl.state() != ModelDownloadDialog::State::Running, kDone);
        QVERIFY2(dl.state() == ModelDownloadDialog::State::Succeeded, qPrintable(dl.statusText()));
        QVERIFY(readAll(modelFile()) == m_tiny);
        QCOMPARE(dl.outcome().result.resumedFrom, int64_t(0));   // resumed within the run, not from an old .part
        const auto reqs = m_server->requests();
        QCOMPARE(reqs.size(), size_t(2));
        QCOMPARE(reqs[1].range, "bytes=" + std::to_string(half) + "-");
        // The second attempt was shown as continuing from the bytes already there.
        bool sawResume = false;
        for (const auto& args : progress) {
            const auto p = args.at(0).value<DownloadProgress>();
            sawResume = sawResume || (p.phase == DownloadPhase::Connecting && p.resumedFrom == half);
        }
        QVERIFY(sawResume);
    }

    void failureSaysWhyAndInstallsNothing_data() {
        QTest::addColumn<QString>("route");
        QTest::addColumn<QString>("says");
        QTest::newRow("404") << "/missing.pth" << "HTTP 404";
        QTest::newRow("HTML page") << "/page.html" << "sent a web page (text/html; charset=utf-8) instead of the model file";
    }
    void failureSaysWhyAndInstallsNothing() {
        QFETCH(QString, route);
        QFETCH(QString, says);
        HttpRoute html;
        html.contentType = "text/html; charset=utf-8";
        html.body = "<!DOCTYPE html><html><body>Sign in to download</body></html>";
        m_server->setRoute("/page.html", html);
        SettingsDialog sd(settingsFor(route.toStdString()), 30);
        sd.show();
        QPointer<ModelDownloadDialog> dl = sd.startDownload();
        QTRY_VERIFY_WITH_TIMEOUT(dl->state() != ModelDownloadDialog::State::Running, kDone);
        QCOMPARE(int(dl->state()), int(ModelDownloadDialog::State::Failed));
        QVERIFY2(dl->statusText().contains(says), qPrintable(dl->statusText()));
        QVERIFY(dl->statusText().contains(QStringLiteral("The download from")));
        QVERIFY(dl->retryButton()->isVisible());
        QVERIFY(dl->closeButton()->isVisible());
        QVERIFY(!dl->cancelButton()->isVisible());
        QVERIFY(!fs::exists(modelFile()));
        QVERIFY(!fs::exists(modelFile() + ".json"));
        QTest::mouseClick(dl->closeButton(), Qt::LeftButton);
        QTRY_VERIFY(dl.isNull());
        QVERIFY(sd.settings().checkpointPath.isEmpty());   // the checkpoint is untouched
        QVERIFY(sd.settings().modelSha256.isEmpty());
    }

    // A body cut short every time: the retries with their wait are shown, then the reason, and the
    // bytes received stay in the .part file for the next try.
    void cutShortRetriesThenSaysSo() {
        HttpRoute cut = tinyRoute();
        cut.dropAtByte = static_cast<int64_t>(m_tiny.size() / 2);
        m_server->setRoute("/cut.pth", cut);
        ModelDownloadOptions o = downloadOptionsFor(settingsFor("/cut.pth"));
        o.maxAttempts = 3;
        o.retryDelaySeconds = 0.3;
        ModelDownloadDialog dl(o, QString());
        dl.show();
        dl.start();
        QStringList notes;
        connect(taskOf(&dl), &ModelDownloadTask::progressed, this, [&](const DownloadProgress& p) {
            if (p.phase == DownloadPhase::Retrying) notes << dl.statusText();
        });
        QTRY_VERIFY_WITH_TIMEOUT(dl.state() != ModelDownloadDialog::State::Running, kDone);
        QCOMPARE(int(dl.state()), int(ModelDownloadDialog::State::Failed));
        QVERIFY(!notes.isEmpty());
        QVERIFY2(notes.first().contains(QStringLiteral("Trying again in 1 s (attempt 2 of 3)")), qPrintable(notes.first()));
        QVERIFY2(dl.statusText().contains(QStringLiteral("gave up after 3 attempts")), qPrintable(dl.statusText()));
        QVERIFY(!fs::exists(modelFile()));
        QCOMPARE(sizeOf(modelFile() + ".part"), int64_t(m_tiny.size() / 2));

        // "Try again" against a server that now sends the rest finishes the same file.
        m_server->setRoute("/cut.pth", tinyRoute());
        m_server->clearRequests();
        QTest::mouseClick(dl.retryButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dl.state() != ModelDownloadDialog::State::Running, kDone);
        QVERIFY2(dl.state() == ModelDownloadDialog::State::Succeeded, qPrintable(dl.statusText()));
        QCOMPARE(dl.outcome().result.resumedFrom, int64_t(m_tiny.size() / 2));
        QVERIFY(readAll(modelFile()) == m_tiny);
        QCOMPARE(m_server->requests().size(), size_t(1));
    }

    void cancelKeepsThePartAndInstallsNothing() {
        HttpRoute slow = tinyRoute();
        slow.delayPerChunkMs = 20;
        m_server->setRoute("/slow.pth", slow);
        FirstRunDialog fr(settingsFor("/slow.pth"));
        fr.show();
        QVERIFY(QTest::qWaitForWindowExposed(&fr));
        QElapsedTimer clock;
        clock.start();
        QPointer<ModelDownloadDialog> dl = fr.startDownload();
        QSignalSpy progress(taskOf(dl), &ModelDownloadTask::progressed);
        QTRY_VERIFY_WITH_TIMEOUT(sizeOf(modelFile() + ".part") > 200000, 30000);
        QTRY_VERIFY(dl->statusText().contains(QStringLiteral(" of ")));   // "0.2 MiB of 3.4 MiB · …"
        const qint64 elapsed = clock.elapsed();
        const int reports = progress.count();
        QTest::mouseClick(dl->cancelButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dl.isNull(), 10000);   // closed (and deleted) once the worker has stopped
        QVERIFY(fr.isVisible());
        QCOMPARE(int(fr.choice()), int(FirstRunDialog::Choice::None));
        QVERIFY(!fs::exists(modelFile()));
        const int64_t kept = sizeOf(modelFile() + ".part");
        QVERIFY(kept > 200000 && kept < int64_t(m_tiny.size()));
        // At most 10 reports a second reached the window (plus the phase changes).
        QVERIFY2(reports <= elapsed / 100 + 4, qPrintable(QStringLiteral("%1 reports in %2 ms").arg(reports).arg(elapsed)));

        // The next download continues from the kept bytes.
        m_server->setRoute("/slow.pth", tinyRoute());
        m_server->clearRequests();
        dl = fr.startDownload();
        QTRY_VERIFY_WITH_TIMEOUT(dl->state() != ModelDownloadDialog::State::Running, kDone);
        QVERIFY2(dl->state() == ModelDownloadDialog::State::Succeeded, qPrintable(dl->statusText()));
        QCOMPARE(dl->outcome().result.resumedFrom, kept);
        QVERIFY(readAll(modelFile()) == m_tiny);
        QCOMPARE(m_server->requests().size(), size_t(1));
        QCOMPARE(m_server->requests()[0].range, "bytes=" + std::to_string(kept) + "-");
        QTest::mouseClick(dl->closeButton(), Qt::LeftButton);
        QCOMPARE(fr.result(), int(QDialog::Accepted));
    }

    // Closing the window (Esc) during a download cancels it too, and destroying a dialog with a
    // running download stops the worker instead of leaving it running.
    void closingTheWindowCancels() {
        HttpRoute slow = tinyRoute();
        slow.delayPerChunkMs = 20;
        m_server->setRoute("/slow.pth", slow);
        auto* dl = new ModelDownloadDialog(downloadOptionsFor(settingsFor("/slow.pth")), QString());
        dl->show();
        dl->start();
        QTRY_VERIFY_WITH_TIMEOUT(sizeOf(modelFile() + ".part") > 100000, 30000);
        QTest::keyClick(dl, Qt::Key_Escape);
        QCOMPARE(int(dl->state()), int(ModelDownloadDialog::State::Cancelling));
        QVERIFY(!dl->cancelButton()->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(int(dl->state()), int(ModelDownloadDialog::State::Cancelled), 10000);
        QVERIFY(!dl->isVisible());
        dl->start();
        QTRY_VERIFY_WITH_TIMEOUT(dl->statusText().contains(QStringLiteral(" of ")), 30000);
        QElapsedTimer t;
        t.start();
        delete dl;
        QVERIFY2(t.elapsed() < 10000, qPrintable(QString::number(t.elapsed())));
        QVERIFY(!fs::exists(modelFile()));
        QVERIFY(fs::exists(modelFile() + ".part"));
    }

    // The downloader's common English reasons are said in the UI's language; others pass through.
    void failureReasonsAreTranslated() {
        const std::string url = "https://huggingface.co/ucfzl/TLBVFI/resolve/main/vimeo_unet.pth";
        const Error notFound{ErrorCode::Network, "cannot download", {url, "the server answered HTTP 404 (not found): check the URL"}};
        const Error gaveUp{ErrorCode::Network, "cannot download",
                           {url, "the connection ended at 1782579 of 3565158 bytes (gave up after 5 attempts in a row without progress; "
                                 "1.7 MiB kept in /m/vimeo_unet.pth.part, the next download continues from there)"}};
        const Error other{ErrorCode::Network, "cannot download", {url, "Could not resolve host: huggingface.co"}};
        QCOMPARE(downloadErrorText(notFound),
                 QString::fromStdString("The download from " + url + " failed: the server answered HTTP 404 (not found): check the URL"));
        QCOMPARE(downloadErrorText(gaveUp),
                 QString::fromStdString("The download from " + url + " failed: the connection ended at 1.7 MiB of 3.4 MiB; gave up after 5 "
                                        "attempts in a row without progress. 1.7 MiB are kept in /m/vimeo_unet.pth.part; the next "
                                        "download continues from there"));
        QVERIFY(downloadErrorText(other).endsWith(QStringLiteral("failed: Could not resolve host: huggingface.co")));
        QCOMPARE(installTranslations(QStringLiteral("ko")), QStringLiteral("ko"));
        const auto english = qScopeGuard([] { installTranslations(QStringLiteral("en")); });
        for (const Error& e : {notFound, gaveUp}) {
            const QString text = downloadErrorText(e);
            QVERIFY2(!text.contains(QStringLiteral("the server")) && !text.contains(QStringLiteral("gave up")) &&
                         !text.contains(QStringLiteral("download")),
                     qPrintable(text));
            QVERIFY2(text.contains(QStringLiteral("서버")) || text.contains(QStringLiteral("연결")), qPrintable(text));
        }
        QVERIFY(downloadErrorText(notFound).contains(QStringLiteral("404")));
        QVERIFY(downloadErrorText(gaveUp).contains(QStringLiteral("/m/vimeo_unet.pth.part")));
    }

    void sizesAndTimesReadWell() {
        QCOMPARE(byteSizeText(512), QStringLiteral("1 KiB"));
        QCOMPARE(byteSizeText(3 * 1024 * 1024 + 512 * 1024), QStringLiteral("3.5 MiB"));
        QCOMPARE(byteSizeText(int64_t(3865470566)), QStringLiteral("3.60 GiB"));
        QCOMPARE(speedText(25.0 * 1024 * 1024), QStringLiteral("25.0 MiB/s"));
        QCOMPARE(speedText(0), QString());
        QCOMPARE(etaText(-1), QString());
        QCOMPARE(etaText(42.2), QStringLiteral("about 43 s left"));
        QCOMPARE(etaText(150), QStringLiteral("about 3 min left"));
        QCOMPARE(etaText(3 * 3600 + 5 * 60 + 9), QStringLiteral("about 3 h 5 min left"));
    }
};

QTEST_MAIN(TestUiDownload)
#include "test_ui_download.moc"
