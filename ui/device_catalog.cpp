#include "ui/device_catalog.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QPointer>
#include <QThread>

#include "ui/meters_panel.h"

namespace vfi::ui {

DeviceCatalog* DeviceCatalog::instance() {
    static DeviceCatalog* catalog = [] {
        auto* c = new DeviceCatalog;
        c->moveToThread(QCoreApplication::instance()->thread());
        c->setParent(QCoreApplication::instance());
        return c;
    }();
    return catalog;
}

DeviceCatalog::~DeviceCatalog() {
    if (m_thread) m_thread->wait();
}

void DeviceCatalog::prefetch() {
    if (m_started) return;
    m_started = true;
    m_thread = QThread::create([this] {
        std::vector<ComputeDevice> list = listComputeDevices();
        QMetaObject::invokeMethod(this, [this, list = std::move(list)]() mutable { finish(std::move(list)); },
                                  Qt::QueuedConnection);
    });
    m_thread->setParent(this);
    m_thread->start(QThread::LowPriority);
}

void DeviceCatalog::finish(std::vector<ComputeDevice> list) {
    if (m_ready) return;
    m_devices = std::move(list);
    if (m_devices.empty()) m_devices.push_back(ComputeDevice{"cpu", "cpu", "CPU", -1});
    m_ready = true;
    emit ready();
}

const std::vector<ComputeDevice>& DeviceCatalog::devices() {
    if (!m_ready) {
        prefetch();
        // The answer arrives as a queued call: wait for it without leaving the GUI thread.
        QEventLoop loop;
        connect(this, &DeviceCatalog::ready, &loop, &QEventLoop::quit);
        if (!m_ready) loop.exec(QEventLoop::ExcludeUserInputEvents);
    }
    return m_devices;
}

bool DeviceCatalog::hasGpu() {
    for (const ComputeDevice& d : devices())
        if (d.kind == "cuda") return true;
    return false;
}

QString DeviceCatalog::shortText(const QStringList& ids) {
    QStringList gpus;
    QString other;
    for (const QString& id : ids) {
        if (id.startsWith(QLatin1String("cuda:"))) gpus << id.mid(5);
        else if (id == QLatin1String("cuda")) gpus << QStringLiteral("0");
        else if (other.isEmpty()) other = id == QLatin1String("cpu") ? tr("CPU") : id.toUpper();
    }
    if (!gpus.isEmpty()) return tr("GPU %1").arg(gpus.join(QStringLiteral(", ")));
    return other.isEmpty() ? tr("CPU") : other;
}

QString DeviceCatalog::longText(const QString& id) {
    for (const ComputeDevice& d : devices()) {
        if (QString::fromStdString(d.id) != id) continue;
        const QString what = d.kind == "cuda" ? shortText({id}) : tr("CPU");
        const QString memory = d.totalMemoryBytes > 0 ? MetersPanel::bytes(d.totalMemoryBytes) : QString();
        const QString name = QString::fromStdString(d.name);
        if (d.kind == "cuda") return memory.isEmpty() ? tr("%1 – %2").arg(what, name) : tr("%1 – %2, %3").arg(what, name, memory);
        return memory.isEmpty() ? tr("%1 – %2").arg(what, name) : tr("%1 – %2, %3 RAM").arg(what, name, memory);
    }
    return tr("%1 (not found on this machine)").arg(id);
}

}  // namespace vfi::ui
