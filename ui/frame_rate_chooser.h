// The output frame rate of Settings and Job settings: multiply by 2/4/8 (the model's bisection), or a
// target rate such as 60 or 59.94 (JobSettings::targetFps: the smallest 2^k that reaches it is
// rendered and each output frame shows the nearest bisection frame; docs/cli.md "Target frame rate").
// With the source's rate known, a target outside (source, 8 x source] is marked, since the job
// would refuse it.
#pragma once

#include <QWidget>

class QComboBox;
class QLabel;

namespace vfi::ui {

class FrameRateChooser : public QWidget {
    Q_OBJECT
public:
    explicit FrameRateChooser(double sourceFps, QWidget* parent = nullptr);
    void setValue(int factor, const QString& targetFps);
    int factor() const;
    QString targetFps() const;      // "" when multiplying by the factor
    bool isValid() const;           // a target parses and, with a known source rate, is in range
    QComboBox* modeBox() const { return m_mode; }
    QComboBox* rateBox() const { return m_rate; }

signals:
    void changed();

private:
    void update();

    double m_sourceFps;
    QComboBox* m_mode;
    QComboBox* m_factor;
    QComboBox* m_rate;
    QLabel* m_note;
};

}  // namespace vfi::ui
