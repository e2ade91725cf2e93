#include "ui/screenshots.h"

#include <QApplication>
#include <QBuffer>
#include <QDir>
#include <QElapsedTimer>
#include <QTabWidget>
#include <QTableView>
#include <QThread>

#include "ui/first_run_dialog.h"
#include "ui/main_window.h"
#include "ui/model_download_dialog.h"
#include "ui/output_presets.h"
#include "ui/preview_panel.h"
#include "ui/queue_controller.h"
#include "ui/settings_dialog.h"

namespace vfi::ui {
namespace {

constexpr qint64 kMaxBytes = 150 * 1024;

void waitFor(const std::function<bool()>& done, int timeoutMs) {
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < timeoutMs) QApplication::processEvents(QEventLoop::AllEvents, 50);
}

void settle(int ms) { waitFor([] { return false; }, ms); }

// Saves a widget as PNG, scaled down until it stays under kMaxBytes (docs must stay small).
void save(QWidget* w, const QString& path) {
    QImage img = w->grab().toImage().convertToFormat(QImage::Format_RGB888);
    for (int i = 0; i < 6; ++i) {
        QByteArray bytes;
        QBuffer buf(&bytes);
        buf.open(QIODevice::WriteOnly);
        img.save(&buf, "PNG", 9);
        if (bytes.size() <= kMaxBytes || i == 5) {
            QFile f(path);
            if (f.open(QIODevice::WriteOnly)) f.write(bytes);
            return;
        }
        img = img.scaledToWidth(img.width() * 4 / 5, Qt::SmoothTransformation);
    }
}

}  // namespace

void takeScreenshots(MainWindow* window, const QString& dir, const QString& suffix) {
    QDir().mkpath(dir);
    auto file = [&](const QString& name) { return QDir(dir).filePath(name + suffix + QStringLiteral(".png")); };
    window->resize(1280, 800);
    QueueController* c = window->controller();
    if (c->model()->rowCount() > 0) {
        window->selectJob(c->model()->idAt(0));
        window->interpolate();
        waitFor([c] {
            const QueueJob& j = c->model()->jobs().first();
            return (j.hasProgress && j.progress.outputFramesDone > j.progress.outputFramesTotal / 3) || !c->runningJob();
        }, 120000);
        settle(150);   // a blend render of the sample takes seconds: longer and the shot shows it finished
        save(window, file(QStringLiteral("main-window")));
        waitFor([c] { return !c->runningJob() && !c->queueRunning(); }, 300000);
        window->selectJob(c->model()->idAt(0));
        window->previewPanel()->refreshSegments();
        settle(1500);
        window->previewPanel()->stepFrames(int(window->previewPanel()->outputFrames() / 2) + 1);
        settle(2000);
        save(window, file(QStringLiteral("main-window-done")));
        save(window->previewPanel(), file(QStringLiteral("preview-split")));
    } else {
        save(window, file(QStringLiteral("main-window")));
    }
    {
        SettingsDialog dlg(c->defaults(), 29.97, window);
        dlg.show();
        settle(300);
        save(&dlg, file(QStringLiteral("settings")));
        dlg.tabs()->setCurrentIndex(1);
        if (auto* chooser = dlg.presetChooser()) chooser->choose(PresetChooser::tr("4K HEVC 10-bit"));
        settle(300);
        save(&dlg, file(QStringLiteral("settings-output")));
    }
    {
        // The download window as it looks half way through the official file (a report fed to it,
        // so no network is needed; the numbers are those of a typical home connection).
        ModelDownloadOptions o = downloadOptionsFor(c->defaults());
        o.targetDir = "/home/you/.local/share/tlbvfi-studio/models";   // not the run's temp folder; nothing is written
        ModelDownloadDialog dlg(o, QString(), window);
        dlg.show();
        DownloadProgress p;
        p.phase = DownloadPhase::Downloading;
        p.bytesTotal = 3865470566;
        p.bytesDone = p.bytesTotal * 37 / 100;
        p.resumedFrom = 512LL * 1024 * 1024;
        p.bytesPerSecond = 41.5 * 1024 * 1024;
        p.etaSeconds = double(p.bytesTotal - p.bytesDone) / p.bytesPerSecond;
        dlg.showProgress(p);
        settle(300);
        save(&dlg, file(QStringLiteral("model-download")));
    }
    {
        FirstRunDialog dlg(c->defaults(), window);
        dlg.show();
        settle(300);
        save(&dlg, file(QStringLiteral("first-run")));
    }
    window->close();
    QApplication::quit();
}

}  // namespace vfi::ui
