// tlbvfi-studio: the desktop app. Parses arguments and wires QApplication, translations and the main
// window; files given on the command line are added to the queue, of the window already open when
// there is one (ui/single_instance.h).
//   --screenshot DIR   save PNGs of the window (and docks) into DIR and quit (docs/screenshots)
//   --lang en|ko       override the configured language for this run
//   --start            start the queue at launch (as Interpolate does: queued and interrupted jobs)
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTimer>

#include "ui/app_settings.h"
#include "ui/main_window.h"
#include "ui/screenshots.h"
#include "ui/single_instance.h"
#include "ui/translations.h"
#include "ui/app_version.h"

int main(int argc, char** argv) {
    // Debian's Qt 6.4 plays through GStreamer; its FFmpeg backend was a technology preview there.
    if (qEnvironmentVariableIsEmpty("QT_MEDIA_BACKEND")) qputenv("QT_MEDIA_BACKEND", "gstreamer");
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("TLBVFI"));
    QApplication::setApplicationName(QStringLiteral("TLBVFI Studio"));
    QApplication::setApplicationVersion(QString::fromLatin1(vfi::ui::uiVersion()));
    QApplication::setDesktopFileName(QStringLiteral("tlbvfi-studio"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Raise the frame rate of videos with TLB-VFI."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QApplication::translate("main", "Save screenshots into <dir> and quit."), QStringLiteral("dir"));
    const QCommandLineOption lang(QStringLiteral("lang"),
        QApplication::translate("main", "Language for this run (en, ko)."), QStringLiteral("lang"));
    const QCommandLineOption start(QStringLiteral("start"),
        QApplication::translate("main", "Start interpolating the queue (queued and interrupted jobs) at launch."));
    parser.addOption(screenshot);
    parser.addOption(lang);
    parser.addOption(start);
    parser.addPositionalArgument(QStringLiteral("files"), QApplication::translate("main", "Videos or folders to add to the queue."),
                                 QStringLiteral("[files...]"));
    parser.process(app);

    vfi::ui::AppSettings settings = vfi::ui::AppSettings::load();
    const QString language = vfi::ui::installTranslations(parser.isSet(lang) ? parser.value(lang) : settings.language);
    if (parser.isSet(screenshot) && !settings.blendFallback && !vfi::ui::validateCheckpoint(settings.checkpointPath).isEmpty()) {
        // Screenshots run without the 3.6 GB checkpoint: use the labelled preview mode.
        settings.blendFallback = true;
        settings.save();
    }

    QStringList files;
    for (const QString& f : parser.positionalArguments()) files << QDir::current().absoluteFilePath(f);
    // One window per user and queue: a later start hands its files to it and is done.
    vfi::ui::SingleInstance instance(vfi::ui::SingleInstance::defaultKey());
    if (instance.start(files) == vfi::ui::SingleInstance::Role::Secondary) return 0;

    vfi::ui::MainWindow window;
    window.show();
    if (!files.isEmpty()) window.addFiles(files);
    QObject::connect(&instance, &vfi::ui::SingleInstance::filesReceived, &window, [&window](const QStringList& more) {
        if (!more.isEmpty()) window.addFiles(more);
        window.setWindowState((window.windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
        window.raise();
        window.activateWindow();
    });

    if (parser.isSet(start)) QTimer::singleShot(0, &window, [&window] { window.interpolate(); });

    if (parser.isSet(screenshot)) {
        window.setNonInteractive(true);
        const QString dir = parser.value(screenshot);
        const QString suffix = language == QLatin1String("en") ? QString() : QLatin1Char('_') + language;
        QTimer::singleShot(500, &window, [&window, dir, suffix] { vfi::ui::takeScreenshots(&window, dir, suffix); });
    }
    return app.exec();
}
