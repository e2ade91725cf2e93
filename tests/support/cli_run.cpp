#include "support/cli_run.h"

#include <QElapsedTimer>
#include <QProcess>

namespace vfi::test {

namespace {

bool start(QProcess& p, const QStringList& args, CliResult& res) {
    p.start(cliPath(), args);
    if (p.waitForStarted(10000)) return true;
    res.crashed = true;
    res.stdErr = "could not start " + cliPath() + ": " + p.errorString();
    return false;
}

void collect(QProcess& p, CliResult& res) {
    res.stdOut = QString::fromUtf8(p.readAllStandardOutput());
    res.stdErr = QString::fromUtf8(p.readAllStandardError());
    res.crashed = p.exitStatus() != QProcess::NormalExit;
    if (!res.timedOut && !res.crashed) res.exitCode = p.exitCode();
}

}  // namespace

QString cliPath() { return qEnvironmentVariable("VFI_CLI"); }

CliResult runCli(const QStringList& args, int timeoutMs) {
    CliResult res;
    QProcess p;
    if (!start(p, args, res)) return res;
    if (!p.waitForFinished(timeoutMs)) {
        res.timedOut = true;
        p.kill();
        p.waitForFinished(5000);
    }
    collect(p, res);
    return res;
}

CliRun runCliUntil(const QStringList& args, const std::function<bool(qint64)>& killNow, int timeoutMs) {
    CliRun run;
    QProcess p;
    QElapsedTimer t;
    t.start();
    if (!start(p, args, run.res)) return run;
    while (!p.waitForFinished(5)) {
        if (p.state() == QProcess::NotRunning) break;
        if (killNow(t.elapsed()) || t.elapsed() > timeoutMs) {
            p.kill();   // SIGKILL
            p.waitForFinished(10000);
            run.killed = true;
            run.res.timedOut = t.elapsed() > timeoutMs;
            break;
        }
    }
    collect(p, run.res);
    return run;
}

QStringList sessionArgs(const std::string& src, const std::string& session, const QStringList& extra) {
    return QStringList{"interpolate", QString::fromStdString(src), "--backend", "blend", "--session", QString::fromStdString(session),
                       "--range", "0:", "--min-free-gb", "0"} +
           extra;
}

QStringList outputArgs(const std::string& src, const std::string& out, const QStringList& extra) {
    return QStringList{"interpolate", QString::fromStdString(src), "-o", QString::fromStdString(out), "--backend", "blend"} + extra;
}

KillHook::KillHook(const QByteArray& phase, int chunk) {
    qputenv("VFI_TEST_KILL_AT", phase);
    if (chunk >= 0) qputenv("VFI_TEST_KILL_CHUNK", QByteArray::number(chunk));
}

KillHook::~KillHook() {
    qunsetenv("VFI_TEST_KILL_AT");
    qunsetenv("VFI_TEST_KILL_CHUNK");
}

CliResult runCliKilledAt(const QByteArray& phase, int chunk, const QStringList& args) {
    KillHook hook(phase, chunk);
    return runCli(args);
}

}  // namespace vfi::test
