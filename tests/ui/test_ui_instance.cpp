// One TLBVFI Studio per user and settings: a second start hands its files to the running window and
// exits, and the saved queue keeps every row (two windows on one queue lost the rows of the one that
// saved first). Drives the real tlbvfi-studio binary (VFI_STUDIO) offscreen, with its own config folder.
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QTest>

#include "gui_test_util.h"
#include "support/media_gen.h"

class TestUiInstance : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<vfi::test::TempDir> m_tmp;
    QStringList m_clips;

    QProcessEnvironment env() const {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        e.insert(QStringLiteral("XDG_CONFIG_HOME"), m_tmp->path() + QStringLiteral("/config"));
        e.insert(QStringLiteral("XDG_DATA_HOME"), m_tmp->path() + QStringLiteral("/data"));
        e.insert(QStringLiteral("QT_MEDIA_BACKEND"), QStringLiteral("gstreamer"));
        return e;
    }
    // The inputs of the queue the app saved (its settings file, read like the app writes it).
    QStringList savedInputs() const {
        QSettings saved(m_tmp->path() + QStringLiteral("/config/TLBVFI/TLBVFI Studio.conf"), QSettings::IniFormat);
        QStringList out;
        for (const QJsonValue& v : QJsonDocument::fromJson(saved.value(QStringLiteral("queue/jobs")).toString().toUtf8()).array())
            out << v.toObject().value(QStringLiteral("input")).toString();
        return out;
    }
    std::unique_ptr<QProcess> start(const QStringList& args) const {
        auto p = std::make_unique<QProcess>();
        p->setProcessEnvironment(env());
        p->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        p->start(QStringLiteral(VFI_STUDIO), args);
        return p;
    }

private slots:
    void initTestCase() {
        m_tmp = std::make_unique<vfi::test::TempDir>();
        for (const char* name : {"first.mp4", "second.mp4", "third.mp4"}) {
            m_clips << QString::fromStdString(m_tmp->file(name));
            QVERIFY(vfi::test::generate(m_clips.last().toStdString(), vfi::test::smallClip(6)).ok());
        }
    }

    void secondStartHandsItsFilesOver() {
        auto first = start({m_clips[0]});
        QVERIFY(first->waitForStarted(10000));
        QTRY_COMPARE_WITH_TIMEOUT(savedInputs(), QStringList{m_clips[0]}, 20000);

        // The second start gives its files to the first and exits at once.
        auto second = start({m_clips[1], m_clips[2]});
        QVERIFY(second->waitForStarted(10000));
        QVERIFY2(second->waitForFinished(15000), "the second start did not exit");
        QCOMPARE(second->exitStatus(), QProcess::NormalExit);
        QCOMPARE(second->exitCode(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(savedInputs(), m_clips, 20000);
        // A start without files just wakes the first one.
        auto third = start({});
        QVERIFY(third->waitForFinished(15000));
        QCOMPARE(third->exitCode(), 0);
        QCOMPARE(first->state(), QProcess::Running);

        first->terminate();
        QVERIFY(first->waitForFinished(15000));
        QCOMPARE(savedInputs(), m_clips);

        // With the first one gone, the next start is the window again (a stale socket or lock of the
        // terminated process does not stop it).
        auto again = start({});
        QVERIFY(again->waitForStarted(10000));
        QVERIFY(!again->waitForFinished(3000));
        again->terminate();
        QVERIFY(again->waitForFinished(15000));
        QCOMPARE(savedInputs(), m_clips);
    }
};

QTEST_GUILESS_MAIN(TestUiInstance)
#include "test_ui_instance.moc"
