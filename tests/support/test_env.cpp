// Environment helpers of media_gen.h: temp dirs and running the CLI.
#include <QDir>
#include <QProcess>
#include <QTemporaryDir>

#include "support/media_gen.h"

namespace vfi::test {

TempDir::TempDir() {
    QString root = qEnvironmentVariable("VFI_TEST_TMP");
    if (root.isEmpty()) root = QDir::tempPath();
    QDir().mkpath(root);
    QTemporaryDir tmp(root + "/vfi-XXXXXX");
    if (!tmp.isValid()) return;
    tmp.setAutoRemove(false);
    m_path = tmp.path();
}

TempDir::~TempDir() {
    if (!m_path.isEmpty() && qEnvironmentVariableIsEmpty("VFI_KEEP_TEST_TMP")) QDir(m_path).removeRecursively();
}

std::string TempDir::file(const std::string& name) const { return (m_path + "/" + QString::fromStdString(name)).toStdString(); }

QString cliPath() { return qEnvironmentVariable("VFI_CLI"); }

CliResult runCli(const QStringList& args, int timeoutMs) {
    CliResult res;
    QProcess p;
    p.start(cliPath(), args);
    if (!p.waitForStarted(10000)) {
        res.crashed = true;
        res.stdErr = "could not start " + cliPath() + ": " + p.errorString();
        return res;
    }
    if (!p.waitForFinished(timeoutMs)) {
        res.timedOut = true;
        p.kill();
        p.waitForFinished(5000);
    }
    res.stdOut = QString::fromUtf8(p.readAllStandardOutput());
    res.stdErr = QString::fromUtf8(p.readAllStandardError());
    res.crashed = p.exitStatus() != QProcess::NormalExit;
    if (!res.timedOut && !res.crashed) res.exitCode = p.exitCode();
    return res;
}

}  // namespace vfi::test
