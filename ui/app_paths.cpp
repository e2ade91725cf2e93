#include "ui/app_paths.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace vfi::ui {

QString appStateDir() {
    const QFileInfo settings(QSettings().fileName());
    const QString dir = QDir(settings.absolutePath()).filePath(settings.completeBaseName());
    QDir().mkpath(dir);
    return dir;
}

QString jobLogPath(qint64 jobId) {
    const QString dir = QDir(appStateDir()).filePath(QStringLiteral("logs"));
    QDir().mkpath(dir);
    return QDir(dir).filePath(QStringLiteral("job-%1.log").arg(jobId));
}

}  // namespace vfi::ui
