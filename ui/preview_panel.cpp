#include "ui/preview_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/frame_loader.h"

namespace vfi::ui {

PreviewPanel::PreviewPanel(QWidget* parent) : QWidget(parent), m_view(new PreviewView(this)),
      m_slider(new QSlider(Qt::Horizontal, this)), m_position(new QLabel(this)),
      m_live(new QCheckBox(tr("Live"), this)), m_mode(new QComboBox(this)), m_loader(new FrameLoader(this)) {
    m_mode->addItem(tr("Split view"), int(PreviewView::Mode::Split));
    m_mode->addItem(tr("Side by side"), int(PreviewView::Mode::SideBySide));
    m_mode->addItem(tr("A/B flip"), int(PreviewView::Mode::Flip));
    auto* flip = new QToolButton(this);
    flip->setText(tr("Flip A/B"));
    auto* oneToOne = new QToolButton(this);
    oneToOne->setText(tr("1:1"));
    oneToOne->setCheckable(true);
    oneToOne->setToolTip(tr("Show pixels at actual size; drag to pan"));
    auto* prev = new QToolButton(this);
    prev->setText(QStringLiteral("◀"));
    prev->setToolTip(tr("Previous frame"));
    auto* next = new QToolButton(this);
    next->setText(QStringLiteral("▶"));
    next->setToolTip(tr("Next frame"));
    auto* reload = new QToolButton(this);
    reload->setText(tr("Reload chunks"));
    m_live->setChecked(true);
    m_live->setToolTip(tr("Show frames from the running render"));
    m_slider->setEnabled(false);

    auto* top = new QHBoxLayout;
    top->addWidget(m_mode);
    top->addWidget(flip);
    top->addWidget(oneToOne);
    top->addStretch();
    top->addWidget(m_live);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(prev);
    bottom->addWidget(m_slider, 1);
    bottom->addWidget(next);
    bottom->addWidget(m_position);
    bottom->addWidget(reload);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
    layout->addLayout(bottom);

    connect(m_mode, &QComboBox::currentIndexChanged, this,
            [this] { m_view->setMode(PreviewView::Mode(m_mode->currentData().toInt())); });
    connect(flip, &QToolButton::clicked, this, [this] {
        m_mode->setCurrentIndex(2);
        m_view->setShowAfter(!m_view->showAfter());
    });
    connect(oneToOne, &QToolButton::toggled, m_view, &PreviewView::setActualSize);
    connect(prev, &QToolButton::clicked, this, [this] { stepFrames(-1); });
    connect(next, &QToolButton::clicked, this, [this] { stepFrames(1); });
    connect(reload, &QToolButton::clicked, this, &PreviewPanel::refreshSegments);
    connect(m_slider, &QSlider::valueChanged, this, [this] {
        m_live->setChecked(false);
        requestCurrent();
    });
    connect(m_loader, &FrameLoader::segmentsReady, this, [this](qint64 frames) {
        m_outputFrames = frames;
        const QSignalBlocker block(m_slider);
        m_slider->setRange(0, int(std::max<qint64>(0, frames - 1)));
        m_slider->setEnabled(frames > 0);
        m_position->setText(frames > 0 ? tr("%1 / %2").arg(m_slider->value()).arg(frames) : tr("no finished chunks"));
        // Not rendering: the last live frame must not stay under a label that names another frame.
        if (!m_rendering && frames > 0) requestCurrent();
    });
    connect(m_loader, &FrameLoader::loaded, this,
            [this](qint64 index, const QImage& before, const QImage& after, const QString& error) {
                if (m_live->isChecked() && m_rendering) return;
                m_view->setImages(before, after);
                m_position->setText(error.isEmpty() ? tr("%1 / %2").arg(index).arg(m_outputFrames) : error);
                emit frameShown(index);
            });
}

void PreviewPanel::setJob(qint64 id, const QString& source, const QString& output, const QString& sessionDir,
                          double outputPerSource, bool rendering) {
    const bool same = id == m_jobId;
    m_rendering = rendering;
    m_jobId = id;
    m_source = source;
    m_output = output;
    m_session = sessionDir;
    m_outputPerSource = outputPerSource;
    if (!same) {
        m_view->setImages({}, {});
        m_outputFrames = 0;
        m_slider->setEnabled(false);
    }
    refreshSegments();
}

void PreviewPanel::refreshSegments() {
    if (m_jobId == 0) return;
    QStringList segments;
    if (QFileInfo::exists(m_output)) {
        segments << m_output;
    } else {
        // Finished chunks only: temporary names (written before verification) do not match.
        QDir dir(m_session);
        for (const QString& f : dir.entryList({QStringLiteral("chunk_*.mov"), QStringLiteral("chunk_*.nut")},
                                              QDir::Files, QDir::Name))
            segments << dir.filePath(f);
    }
    m_loader->setFiles(m_source, segments, m_outputPerSource);
}

PreviewView::Mode PreviewPanel::mode() const { return PreviewView::Mode(m_mode->currentData().toInt()); }

void PreviewPanel::setMode(PreviewView::Mode mode) { m_mode->setCurrentIndex(std::max(0, m_mode->findData(int(mode)))); }

qint64 PreviewPanel::currentFrame() const { return m_slider->value(); }

QString PreviewPanel::positionText() const { return m_position->text(); }

void PreviewPanel::stepFrames(int delta) {
    m_live->setChecked(false);
    m_slider->setValue(m_slider->value() + delta);
}

void PreviewPanel::requestCurrent() {
    // Native size: 1:1 zoom must show the exact decoded pixels.
    m_loader->request(m_slider->value(), QSize(0, 0));
}

void PreviewPanel::showLive(qint64 id, const QImage& source, const QImage& generated, qint64 generatedIndex) {
    if (id != m_jobId || !m_live->isChecked() || !m_rendering) return;
    m_view->setImages(source, generated);
    m_position->setText(tr("live: frame %1").arg(generatedIndex));
}

}  // namespace vfi::ui
