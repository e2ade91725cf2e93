// Table model of the job queue (file, resolution, fps, devices, frames, progress, ETA, state). Owns the
// QueueJob rows; QueueController mutates them. GUI thread only.
#pragma once

#include <QAbstractTableModel>
#include <QVector>

#include "ui/queue_job.h"

namespace vfi::ui {

class QueueModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { ColFile, ColResolution, ColFps, ColDevices, ColFrames, ColProgress, ColEta, ColState, ColCount };
    // Progress column: Qt::UserRole holds the fraction 0..1 (or -1 when unknown) for the delegate.
    static constexpr int kProgressRole = Qt::UserRole + 1;
    static constexpr int kJobIdRole = Qt::UserRole + 2;

    explicit QueueModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

    const QVector<QueueJob>& jobs() const { return m_jobs; }
    int rowOf(qint64 id) const;                 // -1 when absent
    QueueJob* job(qint64 id);
    const QueueJob* job(qint64 id) const;
    qint64 idAt(int row) const;

    qint64 append(QueueJob job);                // assigns an id when job.id == 0
    void remove(qint64 id);
    bool move(qint64 id, int delta);            // reorder by delta rows
    void changed(qint64 id);                    // a row's data changed
    void clear();

    static QString formatDuration(double seconds);
    static QString formatRate(double fps);   // "30", "29.97", "23.976"

private:
    QVector<QueueJob> m_jobs;
    qint64 m_nextId = 1;
};

}  // namespace vfi::ui
