// Playback of a finished output through Qt Multimedia (GStreamer backend, pinned by CTest and the
// app): frames reach a QVideoSink with the video's size, seeking works, and the PlayerPanel drives
// output and source players together. Players are asynchronous: every check waits for its condition
// (QTRY_*) with timeouts generous enough for a loaded 2-core CI machine, never a fixed sleep.
#include <QMediaPlayer>
#include <QSlider>
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
    QString m_clip;       // 2 s
    QString m_longClip;   // 8 s: room to play for a while without reaching the end

private slots:
    void initTestCase() {
        m_tmp = std::make_unique<vfi::test::TempDir>();
        vfi::test::isolateSettings(m_tmp->path() + QStringLiteral("/settings"));
        m_clip = QString::fromStdString(m_tmp->file("play.mp4"));
        auto spec = vfi::test::smallClip(60);
        spec.width = 160;
        spec.height = 96;
        QVERIFY(vfi::test::generate(m_clip.toStdString(), spec).ok());
        m_longClip = QString::fromStdString(m_tmp->file("play_long.mp4"));
        spec.frames = 240;
        QVERIFY(vfi::test::generate(m_longClip.toStdString(), spec).ok());
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

    // Seek and frame step move both players to the same position; while playing, both advance and
    // stay within kPlayingSkewMs of each other; pausing puts the source back on the output's position.
    void panelPlaysOutputAndSourceTogether() {
        constexpr qint64 kPositionToleranceMs = 40;   // paused: a little over one 30 fps frame
        constexpr qint64 kPlayingSkewMs = 250;        // playing: two pipelines started one after the other
        constexpr qint64 kPauseSyncMs = 100;          // pause: the output may move on while it settles
        constexpr qint64 kPlayedMs = 500;
        vfi::ui::PlayerPanel panel;
        panel.setFiles(m_longClip, m_longClip, 30);
        QMediaPlayer* out = panel.outputPlayer();
        QMediaPlayer* src = panel.sourcePlayer();
        QTRY_VERIFY_WITH_TIMEOUT(out->duration() > 0 && src->duration() > 0, 20000);

        panel.seek(1000);
        QTRY_VERIFY_WITH_TIMEOUT(std::abs(out->position() - 1000) <= kPositionToleranceMs &&
                                     std::abs(src->position() - 1000) <= kPositionToleranceMs,
                                 10000);
        const qint64 beforeStep = out->position();
        panel.step(3);   // three frames at 30 fps
        QTRY_VERIFY_WITH_TIMEOUT(std::abs(out->position() - (beforeStep + 100)) <= kPositionToleranceMs, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(std::abs(src->position() - out->position()) <= kPositionToleranceMs, 10000);

        const qint64 start = out->position();
        panel.play();
        QTRY_VERIFY_WITH_TIMEOUT(out->position() >= start + kPlayedMs && src->position() >= start + kPlayedMs, 15000);
        // Both still playing: at the end any two players agree, which would prove nothing.
        QTRY_VERIFY_WITH_TIMEOUT(out->playbackState() == QMediaPlayer::PlayingState &&
                                     src->playbackState() == QMediaPlayer::PlayingState &&
                                     std::abs(src->position() - out->position()) <= kPlayingSkewMs,
                                 10000);
        panel.pause();
        QTRY_VERIFY_WITH_TIMEOUT(out->playbackState() == QMediaPlayer::PausedState && src->playbackState() == QMediaPlayer::PausedState,
                                 10000);
        QTRY_VERIFY_WITH_TIMEOUT(std::abs(src->position() - out->position()) <= kPauseSyncMs, 10000);
        QVERIFY(out->position() >= start + kPlayedMs);
    }

    // The position slider is usable at the Playback dock's first-start width (it was squeezed to a
    // few pixels beside the buttons) and follows the output.
    void positionSliderHasRoom() {
        vfi::ui::PlayerPanel panel;
        panel.resize(470, 400);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.setFiles(m_clip, m_clip, 30);
        QTRY_VERIFY_WITH_TIMEOUT(panel.outputPlayer()->duration() > 0, 20000);
        QVERIFY2(panel.positionSlider()->width() >= 400, qPrintable(QString::number(panel.positionSlider()->width())));
        panel.seek(1000);
        QTRY_VERIFY_WITH_TIMEOUT(std::abs(panel.positionSlider()->value() - 1000) <= 100, 10000);
    }
};

QTEST_MAIN(TestUiPlayer)
#include "test_ui_player.moc"
