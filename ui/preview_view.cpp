#include "ui/preview_view.h"

#include <QMouseEvent>
#include <QPainter>

namespace vfi::ui {

PreviewView::PreviewView(QWidget* parent) : QWidget(parent) {
    setMinimumSize(200, 120);
    setMouseTracking(true);
}

void PreviewView::setImages(const QImage& before, const QImage& after) {
    m_before = before;
    m_after = after;
    update();
}

void PreviewView::setMode(Mode m) { m_mode = m; update(); }
void PreviewView::setShowAfter(bool after) { m_showAfter = after; update(); }
void PreviewView::setActualSize(bool oneToOne) { m_actualSize = oneToOne; m_pan = {}; update(); }
void PreviewView::setDivider(double fraction) { m_divider = qBound(0.0, fraction, 1.0); update(); }

QRectF PreviewView::imageRect(const QSize& image, const QRectF& area) const {
    if (image.isEmpty()) return {};
    QSizeF size = image;
    if (!m_actualSize) size.scale(area.size(), Qt::KeepAspectRatio);
    QRectF r(QPointF(), size);
    r.moveCenter(area.center() + m_pan);
    return r;
}

void PreviewView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Dark));
    if (m_before.isNull() && m_after.isNull()) {
        p.setPen(palette().color(QPalette::BrightText));
        p.drawText(rect(), Qt::AlignCenter, tr("No preview yet"));
        return;
    }
    p.setRenderHint(QPainter::SmoothPixmapTransform, !m_actualSize);
    const QString beforeLabel = tr("Before (source)");
    const QString afterLabel = tr("After (interpolated)");
    auto label = [&](const QRectF& r, const QString& text) {
        p.setPen(Qt::white);
        p.fillRect(QRectF(r.topLeft(), QSizeF(p.fontMetrics().horizontalAdvance(text) + 8, p.fontMetrics().height() + 4)),
                   QColor(0, 0, 0, 150));
        p.drawText(r.topLeft() + QPointF(4, p.fontMetrics().ascent() + 2), text);
    };
    if (m_mode == Mode::SideBySide) {
        const QRectF left(0, 0, width() / 2.0, height());
        const QRectF right(width() / 2.0, 0, width() / 2.0, height());
        p.save();
        p.setClipRect(left);
        p.drawImage(imageRect(m_before.size(), left), m_before);
        p.restore();
        p.save();
        p.setClipRect(right);
        p.drawImage(imageRect(m_after.size(), right), m_after);
        p.restore();
        label(left, beforeLabel);
        label(right, afterLabel);
        return;
    }
    const QImage& base = m_after.isNull() ? m_before : m_after;
    const QRectF r = imageRect(base.size(), rect());
    if (m_mode == Mode::Flip) {
        p.drawImage(r, m_showAfter ? base : m_before);
        label(rect(), m_showAfter ? afterLabel : beforeLabel);
        return;
    }
    // Split: before on the left of the divider, after on the right, same geometry.
    const double x = r.left() + r.width() * m_divider;
    p.save();
    p.setClipRect(QRectF(r.left(), r.top(), x - r.left(), r.height()));
    p.drawImage(r, m_before);
    p.restore();
    p.save();
    p.setClipRect(QRectF(x, r.top(), r.right() - x, r.height()));
    p.drawImage(r, base);
    p.restore();
    p.setPen(QPen(Qt::white, 2));
    p.drawLine(QPointF(x, r.top()), QPointF(x, r.bottom()));
    label(rect(), beforeLabel);
    label(QRectF(x + 2, 0, width() - x, height()), afterLabel);
}

void PreviewView::mousePressEvent(QMouseEvent* e) {
    m_lastMouse = e->position().toPoint();
    const QRectF r = imageRect((m_after.isNull() ? m_before : m_after).size(), rect());
    const double x = r.left() + r.width() * m_divider;
    if (m_mode == Mode::Split && std::abs(e->position().x() - x) < 8) m_draggingDivider = true;
    else m_panning = m_actualSize;
    if (m_mode == Mode::Flip && !m_panning) setShowAfter(!m_showAfter);
}

void PreviewView::mouseMoveEvent(QMouseEvent* e) {
    const QPoint pos = e->position().toPoint();
    if (m_draggingDivider) {
        const QRectF r = imageRect((m_after.isNull() ? m_before : m_after).size(), rect());
        if (r.width() > 0) setDivider((pos.x() - r.left()) / r.width());
    } else if (m_panning) {
        m_pan += pos - m_lastMouse;
        update();
    }
    m_lastMouse = pos;
}

void PreviewView::mouseReleaseEvent(QMouseEvent*) {
    m_draggingDivider = false;
    m_panning = false;
}

}  // namespace vfi::ui
