#include "support/cli_run.h"

#include <QElapsedTimer>
#include <QProcess>

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

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

CliResult runCliOnTerminal(const QStringList& args, int timeoutMs) {
    CliResult res;
    const QByteArray program = cliPath().toLocal8Bit();
    std::vector<QByteArray> argBytes{program};
    for (const QString& a : args) argBytes.push_back(a.toLocal8Bit());
    std::vector<char*> argv;
    for (QByteArray& a : argBytes) argv.push_back(a.data());
    argv.push_back(nullptr);
    int master = -1;
    const pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
    if (pid < 0) {
        res.crashed = true;
        res.stdErr = QStringLiteral("forkpty failed");
        return res;
    }
    if (pid == 0) {
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    QByteArray out;
    QElapsedTimer t;
    t.start();
    char buf[4096];
    for (;;) {
        pollfd p{master, POLLIN, 0};
        const int left = timeoutMs - static_cast<int>(t.elapsed());
        if (left <= 0) {
            res.timedOut = true;
            ::kill(pid, SIGKILL);
            break;
        }
        if (::poll(&p, 1, left) <= 0) continue;
        const ssize_t n = ::read(master, buf, sizeof buf);
        if (n > 0) {
            out.append(buf, static_cast<int>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        break;   // EIO: the child closed the terminal's last descriptor
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    ::close(master);
    res.stdOut = QString::fromUtf8(out);
    res.crashed = !WIFEXITED(status);
    if (!res.timedOut && !res.crashed) res.exitCode = WEXITSTATUS(status);
    return res;
}

QStringList terminalLines(const QString& raw) {
    QStringList lines;
    QString line;
    int cursor = 0;
    for (int i = 0; i < raw.size(); ++i) {
        const QChar c = raw.at(i);
        if (c == QLatin1Char('\n')) {
            lines << line;
            line.clear();
            cursor = 0;
        } else if (c == QLatin1Char('\r')) {
            cursor = 0;
        } else if (c == QChar(0x1b) && raw.mid(i + 1, 2) == QLatin1String("[K")) {
            line.truncate(cursor);
            i += 2;
        } else {
            if (cursor < line.size()) line[cursor] = c;
            else line += c;
            ++cursor;
        }
    }
    if (!line.isEmpty()) lines << line;
    return lines;
}

CliResult runCliSignalWhen(const QStringList& args, int signal, const std::function<bool(const QString&)>& ready, int timeoutMs) {
    CliResult res;
    QProcess p;
    QElapsedTimer t;
    t.start();
    if (!start(p, args, res)) return res;
    QString err;
    bool sent = false;
    while (!p.waitForFinished(5)) {
        if (p.state() == QProcess::NotRunning) break;
        err += QString::fromUtf8(p.readAllStandardError());
        if (!sent && ready(err)) {
            ::kill(static_cast<pid_t>(p.processId()), signal);
            sent = true;
        }
        if (t.elapsed() > timeoutMs) {
            res.timedOut = true;
            p.kill();
            p.waitForFinished(10000);
            break;
        }
    }
    collect(p, res);
    res.stdErr = err + res.stdErr;
    return res;
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
