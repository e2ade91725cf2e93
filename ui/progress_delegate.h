// Draws the queue's progress column as a progress bar (QueueModel::kProgressRole, 0..1 or -1).
#pragma once

#include <QStyledItemDelegate>

namespace vfi::ui {

class ProgressDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

}  // namespace vfi::ui
