// Playback of a finished output through Qt Multimedia (GStreamer backend, pinned by CTest and the
// app): frames reach a QVideoSink with the video's size, seeking works, and the PlayerPanel drives
// output and source players together.
#include <QMediaPlayer>
#include <QSignalSpy>
#include <QTest>
#include <QVideoFrame>
#include <QVideoSink>

#include "support/media_gen.h"
#include "ui/player_panel.h"
#include "gui_test_util.h"

class TestUiPlayer : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<vfi::test::TempDir> m_tmp;
    QString m_clip;

private slots:
    void initTestCase() {
        m_tmp = std::make_unique<vfi::test::TempDir>();
        vfi::test::isolateSettings(m_tmp->path() + QStringLiteral("/settings"));
        m_clip = QString::fromStdString(m_tmp->file("play.mp4"));
        auto spec = vfi::test::smallClip(60);
        spec.width = 160;
        spec.height = 96;
        QVERIFY(vfi::test::generate(m_clip.toStdString(), spec).ok());
    }

    void framesReachVideoSink() {
        QMediaPlayer player;
        QVideoSink sink;
        player.setVideoSink(&sink);
        QSize lastSize;
        int frames = 0;
        connect(&sink, &QVideoSink::videoFrameChanged, this, [&](const QVideoFrame& f) {
            if (!f.isValid()) return;
            lastSize = f.size();
            ++frames;
        });
        player.setSource(QUrl::fromLocalFile(m_clip));
        QTRY_VERIFY_WITH_TIMEOUT(player.mediaStatus() == QMediaPlayer::LoadedMedia ||
                                     player.mediaStatus() == QMediaPlayer::InvalidMedia || player.error() != QMediaPlayer::NoError,
                                 15000);
        if (player.error() != QMediaPlayer::NoError && player.errorString().contains(QLatin1String("backend"), Qt::CaseInsensitive))
            QSKIP(qPrintable(QStringLiteral("no Qt Multimedia backend: ") + player.errorString()));
        QCOMPARE(player.error(), QMediaPlayer::NoError);
        QTRY_VERIFY_WITH_TIMEOUT(player.duration() > 0, 10000);
        QVERIFY(std::abs(player.duration() - 2000) <= 100);
        player.play();
        QTRY_VERIFY_WITH_TIMEOUT(frames >= 3, 15000);
        QCOMPARE(lastSize, QSize(160, 96));
        player.pause();
        player.setPosition(1500);
        QTRY_VERIFY_WITH_TIMEOUT(std::abs(player.position() - 1500) <= 100, 10000);
    }

    void panelPlaysOutputAndSourceTogether() {
        vfi::ui::PlayerPanel panel;
        panel.setFiles(m_clip, m_clip, 30);
        QTRY_VERIFY_WITH_TIMEOUT(panel.outputPlayer()->duration() > 0, 15000);
        panel.seek(1000);
        QTRY_VERIFY_WITH_TIMEOUT(std::abs(panel.sourcePlayer()->position() - 1000) <= 100, 10000);
        panel.step(3);   // three frames at 30 fps
        QTRY_VERIFY_WITH_TIMEOUT(std::abs(panel.outputPlayer()->position() - 1100) <= 40, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(std::abs(panel.sourcePlayer()->position() - panel.outputPlayer()->position()) <= 40, 10000);
    }
};

QTEST_MAIN(TestUiPlayer)
#include "test_ui_player.moc"
