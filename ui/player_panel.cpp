#include "ui/player_panel.h"

#include <QAudioOutput>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMediaPlayer>
#include <QPushButton>
#include <QSlider>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>
#include <QVideoWidget>

#include "ui/queue_model.h"

namespace vfi::ui {

PlayerPanel::PlayerPanel(QWidget* parent)
    : QWidget(parent), m_output(new QMediaPlayer(this)), m_source(new QMediaPlayer(this)),
      m_outputVideo(new QVideoWidget(this)), m_sourceVideo(new QVideoWidget(this)),
      m_slider(new QSlider(Qt::Horizontal, this)), m_time(new QLabel(this)),
      m_playButton(new QPushButton(tr("Play"), this)), m_showSource(new QCheckBox(tr("Source beside it"), this)) {
    m_output->setAudioOutput(new QAudioOutput(this));
    m_output->setVideoOutput(m_outputVideo);
    m_source->setVideoOutput(m_sourceVideo);   // no audio output: the source plays muted
    m_showSource->setChecked(true);
    auto* back = new QToolButton(this);
    back->setText(tr("−1 frame"));
    auto* fwd = new QToolButton(this);
    fwd->setText(tr("+1 frame"));

    auto* videos = new QHBoxLayout;
    auto* outBox = new QVBoxLayout;
    outBox->addWidget(new QLabel(tr("Output"), this));
    outBox->addWidget(m_outputVideo, 1);
    auto* srcBox = new QVBoxLayout;
    srcBox->addWidget(new QLabel(tr("Source"), this));
    srcBox->addWidget(m_sourceVideo, 1);
    videos->addLayout(outBox, 1);
    videos->addLayout(srcBox, 1);
    // The position slider has a row of its own: beside the buttons, in a dock of the first start's
    // width, it was squeezed to a few pixels.
    auto* controls = new QHBoxLayout;
    controls->addWidget(m_playButton);
    controls->addWidget(back);
    controls->addWidget(fwd);
    controls->addStretch(1);
    controls->addWidget(m_time);
    controls->addWidget(m_showSource);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(videos, 1);
    layout->addWidget(m_slider);
    layout->addLayout(controls);

    connect(m_playButton, &QPushButton::clicked, this, [this] {
        if (m_output->playbackState() == QMediaPlayer::PlayingState) pause();
        else play();
    });
    connect(back, &QToolButton::clicked, this, [this] { step(-1); });
    connect(fwd, &QToolButton::clicked, this, [this] { step(1); });
    connect(m_showSource, &QCheckBox::toggled, this, [this](bool on) {
        m_sourceVideo->setVisible(on);
        if (!on) m_source->pause();
        else syncSource();
    });
    connect(m_output, &QMediaPlayer::durationChanged, this, [this](qint64 d) { m_slider->setRange(0, int(d)); });
    connect(m_output, &QMediaPlayer::positionChanged, this, [this](qint64 pos) {
        const QSignalBlocker block(m_slider);
        m_slider->setValue(int(pos));
        m_time->setText(QStringLiteral("%1 / %2").arg(QueueModel::formatDuration(pos / 1000.0),
                                                      QueueModel::formatDuration(m_output->duration() / 1000.0)));
    });
    connect(m_output, &QMediaPlayer::playbackStateChanged, this, [this](QMediaPlayer::PlaybackState s) {
        m_playButton->setText(s == QMediaPlayer::PlayingState ? tr("Pause") : tr("Play"));
    });
    connect(m_slider, &QSlider::sliderMoved, this, [this](int v) { seek(v); });
}

void PlayerPanel::setFiles(const QString& output, const QString& source, double outputFps) {
    m_fps = outputFps;
    m_output->setSource(QUrl::fromLocalFile(output));
    m_source->setSource(QUrl::fromLocalFile(source));
}

void PlayerPanel::play() {
    m_output->play();
    if (m_showSource->isChecked()) {
        syncSource();
        m_source->play();
    }
}

void PlayerPanel::pause() {
    m_output->pause();
    m_source->pause();
    syncSource();
}

void PlayerPanel::seek(qint64 ms) {
    m_output->setPosition(ms);
    syncSource();
}

void PlayerPanel::step(int frames) {
    pause();
    const double frameMs = m_fps > 0 ? 1000.0 / m_fps : 1000.0 / 30.0;
    seek(std::max<qint64>(0, m_output->position() + qint64(frames * frameMs + (frames > 0 ? 0.5 : -0.5))));
}

void PlayerPanel::syncSource() {
    // Output and source share the timeline (the output keeps the source's timestamps).
    if (m_showSource->isChecked()) m_source->setPosition(m_output->position());
}

}  // namespace vfi::ui
