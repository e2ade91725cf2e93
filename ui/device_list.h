// Settings -> Devices: the CPU and every CUDA device of the machine (name, memory) as checkboxes; the
// checked ones are the job's devices (JobSettings::devices, one chunk worker each). Kinds are not
// mixed: checking a GPU clears the CPU and the other way round; one stays checked. A saved device
// this machine does not have stays listed and checked, marked as not found (the job then says so),
// instead of the settings changing silently.
#pragma once

#include <QListWidget>
#include <QStringList>

namespace vfi::ui {

class DeviceList : public QListWidget {
    Q_OBJECT
public:
    explicit DeviceList(QWidget* parent = nullptr);
    void setChecked(const QStringList& ids);
    QStringList checked() const;              // in list order; never empty
    bool gpuChecked() const;

signals:
    void selectionChanged();

private:
    void onItemChanged(QListWidgetItem* item);
    bool m_updating = false;
};

}  // namespace vfi::ui
