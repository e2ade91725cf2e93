// Before/after image view: split with a draggable divider, side by side, or A/B flip; fit or 1:1
// zoom with panning (drag with the mouse; in split mode dragging near the divider moves it).
#pragma once

#include <QImage>
#include <QWidget>

namespace vfi::ui {

class PreviewView : public QWidget {
    Q_OBJECT
public:
    enum class Mode { Split, SideBySide, Flip };
    explicit PreviewView(QWidget* parent = nullptr);

    void setImages(const QImage& before, const QImage& after);
    void setMode(Mode m);
    Mode mode() const { return m_mode; }
    void setShowAfter(bool after);           // Flip mode: which image is shown
    bool showAfter() const { return m_showAfter; }
    void setActualSize(bool oneToOne);       // false: fit to the widget
    void setDivider(double fraction);        // 0..1 of the image width (split mode)
    double divider() const { return m_divider; }
    const QImage& before() const { return m_before; }
    const QImage& after() const { return m_after; }

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent*) override;
    void mouseMoveEvent(QMouseEvent*) override;
    void mouseReleaseEvent(QMouseEvent*) override;

private:
    QRectF imageRect(const QSize& image, const QRectF& area) const;

    QImage m_before;
    QImage m_after;
    Mode m_mode = Mode::Split;
    bool m_showAfter = true;
    bool m_actualSize = false;
    double m_divider = 0.5;
    QPointF m_pan;
    QPoint m_lastMouse;
    bool m_draggingDivider = false;
    bool m_panning = false;
};

}  // namespace vfi::ui
