#include "ui/device_list.h"

#include "ui/device_catalog.h"

namespace vfi::ui {
namespace {
constexpr int kIdRole = Qt::UserRole + 1;
QString kindOf(const QString& id) { return id.section(QLatin1Char(':'), 0, 0); }
}  // namespace

DeviceList::DeviceList(QWidget* parent) : QListWidget(parent) {
    DeviceCatalog* catalog = DeviceCatalog::instance();
    for (const ComputeDevice& d : catalog->devices()) {
        const QString id = QString::fromStdString(d.id);
        auto* item = new QListWidgetItem(catalog->longText(id), this);
        item->setData(kIdRole, id);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
    }
    setToolTip(tr("The devices this job renders on, one chunk at a time each. Several GPUs share one job; "
                  "the output is the same on any of them."));
    connect(this, &QListWidget::itemChanged, this, &DeviceList::onItemChanged);
    setChecked({QStringLiteral("cpu")});
    setFixedHeight(sizeHintForRow(0) * std::min(std::max(1, count()), 6) + 2 * frameWidth() + 2);
}

void DeviceList::setChecked(const QStringList& wanted) {
    m_updating = true;
    for (const QString& id : wanted) {
        bool found = false;
        for (int i = 0; i < count(); ++i) found |= item(i)->data(kIdRole).toString() == id;
        if (!found) {
            auto* item = new QListWidgetItem(DeviceCatalog::instance()->longText(id), this);
            item->setData(kIdRole, id);
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        }
    }
    for (int i = 0; i < count(); ++i)
        item(i)->setCheckState(wanted.contains(item(i)->data(kIdRole).toString()) ? Qt::Checked : Qt::Unchecked);
    m_updating = false;
    if (checked().isEmpty() && count() > 0) item(0)->setCheckState(Qt::Checked);
}

QStringList DeviceList::checked() const {
    QStringList out;
    for (int i = 0; i < count(); ++i)
        if (item(i)->checkState() == Qt::Checked) out << item(i)->data(kIdRole).toString();
    return out;
}

bool DeviceList::gpuChecked() const {
    for (const QString& id : checked())
        if (kindOf(id) == QLatin1String("cuda")) return true;
    return false;
}

void DeviceList::onItemChanged(QListWidgetItem* changed) {
    if (m_updating) return;
    m_updating = true;
    const QString kind = kindOf(changed->data(kIdRole).toString());
    if (changed->checkState() == Qt::Checked) {
        for (int i = 0; i < count(); ++i)
            if (kindOf(item(i)->data(kIdRole).toString()) != kind) item(i)->setCheckState(Qt::Unchecked);
    } else if (checked().isEmpty()) {
        changed->setCheckState(Qt::Checked);   // a job needs a device
    }
    m_updating = false;
    emit selectionChanged();
}

}  // namespace vfi::ui
