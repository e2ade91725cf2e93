// Running the tlbvfi CLI ($VFI_CLI) from the end-to-end suites: plain runs, runs killed from outside
// at a chosen moment, runs killed by the CLI's own test hook, and the argument lists they share.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <functional>
#include <string>

namespace vfi::test {

struct CliResult {
    int exitCode = -1;                // -1: crashed, killed or timed out
    bool timedOut = false;
    bool crashed = false;
    QString stdOut;
    QString stdErr;
};
// In a Qt Test slot: the run exited with `code`, else fails showing the exit code and stderr.
#define CHECK_RUN(run, code) \
    QVERIFY2((run).exitCode == (code), qPrintable(QString("exit %1: %2").arg((run).exitCode).arg((run).stdErr)))

QString cliPath();
// Runs $VFI_CLI with args; kills it after timeoutMs.
CliResult runCli(const QStringList& args, int timeoutMs = 120000);

struct CliRun {
    bool killed = false;   // SIGKILLed by runCliUntil (killNow or the timeout), not finished on its own
    CliResult res;
};
// Runs $VFI_CLI and SIGKILLs it as soon as killNow(milliseconds since the start) says so (asked every
// few ms), if it is still running then; also after timeoutMs.
CliRun runCliUntil(const QStringList& args, const std::function<bool(qint64 elapsedMs)>& killNow, int timeoutMs = 120000);

// Runs $VFI_CLI with stdin, stdout and stderr on a pseudo-terminal, as a user's shell would (the CLI
// draws its progress bar only there); stdOut holds everything the terminal received.
CliResult runCliOnTerminal(const QStringList& args, int timeoutMs = 120000);
// What a terminal shows after receiving `raw`: carriage returns move to the line start, ESC [ K
// erases to the end of the line, and every other character overwrites the cell under the cursor.
QStringList terminalLines(const QString& raw);

// Runs $VFI_CLI and sends it `signal` (once) as soon as its stderr so far satisfies `ready`.
CliResult runCliSignalWhen(const QStringList& args, int signal, const std::function<bool(const QString& stdErr)>& ready,
                           int timeoutMs = 120000);

// `interpolate src` with the blend backend into the session folder, the whole range and no join
// (--range 0:), no free-space check; extra follows.
QStringList sessionArgs(const std::string& src, const std::string& session, const QStringList& extra = {});
// `interpolate src -o out` with the blend backend; extra follows.
QStringList outputArgs(const std::string& src, const std::string& out, const QStringList& extra = {});

// While it lives, CLI runs started by this process stop themselves at a named phase (the CLI's
// VFI_TEST_KILL_AT hook; VFI_TEST_KILL_CHUNK names the chunk where chunk >= 0). Unset on destruction,
// so a failed check does not leave the hook on for later runs.
class KillHook {
public:
    explicit KillHook(const QByteArray& phase, int chunk = -1);
    ~KillHook();
    KillHook(const KillHook&) = delete;
    KillHook& operator=(const KillHook&) = delete;
};
// runCli with a KillHook(phase, chunk) on.
CliResult runCliKilledAt(const QByteArray& phase, int chunk, const QStringList& args);

}  // namespace vfi::test
