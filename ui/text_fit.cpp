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
        // Resize: another width needs another height. LayoutRequest: a label's text changed. Show:
        // text set before the window was shown was fitted to a width it did not get.
        if (e->type() == QEvent::Resize || e->type() == QEvent::LayoutRequest || e->type() == QEvent::Show) {
            QPointer<QWidget> w = static_cast<QWidget*>(watched);
            QTimer::singleShot(0, this, [w] { if (w) fit(w); });
        }
        return false;
    }
};

}  // namespace

void keepTextUncut(QWidget* window) {
    // Found by name: TextFitGuard has no meta-object of its own, so findChild<TextFitGuard*> matched
    // any child (the window's layout) and the guard was never installed on a window with a layout.
    static const QString kName = QStringLiteral("vfi_text_fit_guard");
    if (!window->findChild<QObject*>(kName, Qt::FindDirectChildrenOnly)) {
        auto* guard = new TextFitGuard(window);
        guard->setObjectName(kName);
        window->installEventFilter(guard);
    }
    fit(window);
}

}  // namespace vfi::ui
