// The compute devices of this machine (vfi::listComputeDevices: the CPU, then every CUDA device with
// name and memory), asked once per process. The first question loads the model library (LibTorch,
// about a second), so the window starts it on a background thread (prefetch) and shows GPU-only
// actions when the answer is in. GUI thread only (the worker thread only runs the core call).
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

#include <vector>

class QThread;

#include "vfi/compute_devices.h"

namespace vfi::ui {

class DeviceCatalog : public QObject {
    Q_OBJECT
public:
    static DeviceCatalog* instance();
    void prefetch();                                  // starts the listing; returns at once
    bool isReady() const { return m_ready; }
    const std::vector<ComputeDevice>& devices();      // waits for the listing when it is not in yet
    bool hasGpu();                                    // a CUDA device is there
    // "CPU", "GPU 0", "GPU 0, 1" for device ids ("cpu", "cuda:0", "cuda:1"); names and memory for tooltips.
    static QString shortText(const QStringList& ids);
    QString longText(const QString& id);              // "GPU 0 – NVIDIA H100 80GB HBM3, 79.2 GiB"

signals:
    void ready();

private:
    DeviceCatalog() = default;
    ~DeviceCatalog() override;   // waits for the listing thread (it posts to this object)
    void finish(std::vector<ComputeDevice> list);

    QThread* m_thread = nullptr;
    bool m_started = false;
    bool m_ready = false;
    std::vector<ComputeDevice> m_devices;
};

}  // namespace vfi::ui
