#include "ui/text_fit.h"

#include <QEvent>
#include <QLayout>
#include <QPointer>
#include <QTimer>
#include <QWidget>

namespace vfi::ui {
namespace {

void fit(QWidget* window) {
    QLayout* layout = window->layout();
    if (!layout) return;
    // Recomputes the nested layouts too: a label's new text may change whether it has a height for
    // width at all.
    layout->invalidate();
    layout->activate();
    if (!layout->hasHeightForWidth()) return;
    const int need = window->heightForWidth(window->width());
    if (need <= 0) return;
    window->setMinimumHeight(need);
    if (window->height() < need) window->resize(window->width(), need);
}

class TextFitGuard : public QObject {
public:
    using QObject::QObject;
    bool eventFilter(QObject* watched, QEvent* e) override {
        // Resize: another width needs another height. LayoutRequest: a label's text changed.
        if (e->type() == QEvent::Resize || e->type() == QEvent::LayoutRequest) {
            QPointer<QWidget> w = static_cast<QWidget*>(watched);
            QTimer::singleShot(0, this, [w] { if (w) fit(w); });
        }
        return false;
    }
};

}  // namespace

void keepTextUncut(QWidget* window) {
    if (!window->findChild<TextFitGuard*>(QString(), Qt::FindDirectChildrenOnly))
        window->installEventFilter(new TextFitGuard(window));
    fit(window);
}

}  // namespace vfi::ui
