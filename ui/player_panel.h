// Real-time playback of a finished output with Qt Multimedia (audio included), with the source
// playing beside it at the same timestamp. Exact frame inspection is the preview panel's job (core
// decoder); here "frame step" seeks both players by one output frame duration.
#pragma once

#include <QWidget>

class QMediaPlayer;
class QVideoWidget;
class QSlider;
class QLabel;
class QPushButton;
class QCheckBox;

namespace vfi::ui {

class PlayerPanel : public QWidget {
    Q_OBJECT
public:
    explicit PlayerPanel(QWidget* parent = nullptr);

    void setFiles(const QString& output, const QString& source, double outputFps);
    void play();
    void pause();
    void seek(qint64 ms);
    void step(int frames);
    QMediaPlayer* outputPlayer() { return m_output; }
    QMediaPlayer* sourcePlayer() { return m_source; }
    QSlider* positionSlider() { return m_slider; }

private:
    void syncSource();

    QMediaPlayer* m_output;
    QMediaPlayer* m_source;
    QVideoWidget* m_outputVideo;
    QVideoWidget* m_sourceVideo;
    QSlider* m_slider;
    QLabel* m_time;
    QPushButton* m_playButton;
    QCheckBox* m_showSource;
    double m_fps = 0;
};

}  // namespace vfi::ui
