// Settings a video person understands: quality in the encoder's terms and range, speed presets,
// tooltips on the model and chunk settings, devices and encoders from what this machine really has,
// saved output presets for the defaults and for one job, and one meter line per device.
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QSpinBox>
#include <QTableView>
#include <QTest>

#include "gui_test_util.h"
#include "ui/device_catalog.h"
#include "ui/device_list.h"
#include "ui/encode_options_editor.h"
#include "ui/frame_rate_chooser.h"
#include "ui/job_settings_dialog.h"
#include "ui/main_window.h"
#include "ui/meters_panel.h"
#include "ui/output_presets.h"
#include "ui/queue_controller.h"
#include "ui/queue_model.h"
#include "ui/settings_dialog.h"
#include "vfi/compute_devices.h"
#include "vfi/encoders.h"

using namespace vfi;
using namespace vfi::ui;

class TestUiSettings : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<test::TempDir> m_tmp;

    static void chooseEncoder(EncodeOptionsEditor* e, const QString& name) {
        QComboBox* box = e->encoderBox();
        const int i = box->findData(name);
        QVERIFY2(i >= 0, qPrintable(name));
        box->setCurrentIndex(i);
    }
    static QString qualityText(EncodeOptionsEditor* e, int value) {
        e->qualityBox()->setValue(value);
        return e->qualityBox()->text();
    }
    static QStringList itemData(QComboBox* box) {
        QStringList out;
        for (int i = 0; i < box->count(); ++i) out << box->itemData(i).toString();
        return out;
    }
    static bool hasToolTip(QWidget* root, const QString& tip) {
        for (QWidget* w : root->findChildren<QWidget*>())
            if (w->toolTip() == tip) return true;
        return false;
    }

private slots:
    void initTestCase() {
        m_tmp = std::make_unique<test::TempDir>();
        test::isolateSettings(m_tmp->path() + QStringLiteral("/settings"));
    }
    void init() { QSettings().clear(); }

    void qualityIsInTheEncodersTerms() {
        SettingsDialog dlg(AppSettings{}, 30);
        EncodeOptionsEditor* e = dlg.encodeEditor();
        chooseEncoder(e, QStringLiteral("libx264"));
        QCOMPARE(e->qualityBox()->maximum(), 51);
        QCOMPARE(qualityText(e, 18), QStringLiteral("CRF 18 (visually lossless)"));
        QCOMPARE(qualityText(e, 28), QStringLiteral("CRF 28 (small files, visible loss)"));
        QCOMPARE(qualityText(e, 23), QStringLiteral("CRF 23 (smaller files)"));
        QCOMPARE(qualityText(e, 12), QStringLiteral("CRF 12 (larger files)"));
        QCOMPARE(qualityText(e, -1), QStringLiteral("Encoder default: CRF 18 (visually lossless)"));
        QCOMPARE(e->options().quality, -1);
        e->qualityBox()->setValue(22);
        QCOMPARE(e->options().quality, 22);
        // x265's visually lossless level is its own.
        chooseEncoder(e, QStringLiteral("libx265"));
        QCOMPARE(qualityText(e, 20), QStringLiteral("CRF 20 (visually lossless)"));
        // ProRes: profiles by name, 0..5.
        chooseEncoder(e, QStringLiteral("prores_ks"));
        QCOMPARE(e->qualityBox()->maximum(), 5);
        QCOMPARE(qualityText(e, 3), QStringLiteral("Profile 3: 422 HQ"));
        QCOMPARE(qualityText(e, 0), QStringLiteral("Profile 0: Proxy"));
        QVERIFY(!e->presetBox()->isEnabled());
        QCOMPARE(itemData(e->pixFmtBox()), (QStringList{QString(), QStringLiteral("yuv422p10le"), QStringLiteral("yuv444p10le")}));
        // FFV1: no setting at all.
        chooseEncoder(e, QStringLiteral("ffv1"));
        QVERIFY(!e->qualityBox()->isEnabled());
        QCOMPARE(e->qualityBox()->text(), QStringLiteral("Lossless (no quality setting)"));
        QCOMPARE(e->options().quality, -1);
        // Speed presets of x264, fastest first, and they reach the job.
        chooseEncoder(e, QStringLiteral("libx264"));
        QVERIFY(e->presetBox()->isEnabled());
        QCOMPARE(itemData(e->presetBox()).mid(0, 2), (QStringList{QString(), QStringLiteral("ultrafast")}));
        QCOMPARE(itemData(e->presetBox()).last(), QStringLiteral("veryslow"));
        e->presetBox()->setCurrentIndex(e->presetBox()->findData(QStringLiteral("slow")));
        const AppSettings s = dlg.settings();
        QCOMPARE(s.encoderPreset, QStringLiteral("slow"));
        QCOMPARE(s.jobFor(QStringLiteral("/in/a.mp4")).encode.preset, std::string("slow"));
    }

    // The output file's container is one the encoder can write: ProRes to .mov, FFV1 to .mkv, also
    // when the encoder is changed for one queued job.
    void outputContainerFollowsTheEncoder() {
        AppSettings s;
        s.outputFolder = QStringLiteral("/out");
        s.encoder = QStringLiteral("prores_ks");
        QCOMPARE(s.outputPathFor(QStringLiteral("/in/clip.mp4")), QStringLiteral("/out/clip_2x.mov"));
        QCOMPARE(s.outputPathFor(QStringLiteral("/in/clip.mkv")), QStringLiteral("/out/clip_2x.mkv"));
        s.encoder = QStringLiteral("ffv1");
        QCOMPARE(s.outputPathFor(QStringLiteral("/in/clip.mov")), QStringLiteral("/out/clip_2x.mkv"));
        s.encoder = QStringLiteral("libx264");
        QCOMPARE(s.outputPathFor(QStringLiteral("/in/clip.webm")), QStringLiteral("/out/clip_2x.mp4"));
        QCOMPARE(s.outputPathFor(QStringLiteral("/in/clip.mov")), QStringLiteral("/out/clip_2x.mov"));

        JobSettings js;
        js.outputPath = "/out/clip_2x.mp4";
        JobSettingsDialog dlg(js, 30);
        chooseEncoder(dlg.encodeEditor(), QStringLiteral("ffv1"));
        QCOMPARE(dlg.settings().outputPath, std::string("/out/clip_2x.mkv"));
        chooseEncoder(dlg.encodeEditor(), QStringLiteral("prores_ks"));
        QCOMPARE(dlg.settings().outputPath, std::string("/out/clip_2x.mkv"));   // ProRes writes .mkv too
        chooseEncoder(dlg.encodeEditor(), QStringLiteral("libx264"));
        QCOMPARE(dlg.settings().outputPath, std::string("/out/clip_2x.mkv"));
    }

    // A target frame rate instead of a factor: in Settings for the defaults, per job, in the queue.
    void targetFrameRate() {
        SettingsDialog dlg(AppSettings{}, 0);
        auto* rate = dlg.findChild<FrameRateChooser*>();
        QVERIFY(rate);
        QCOMPARE(rate->targetFps(), QString());
        rate->modeBox()->setCurrentIndex(1);
        rate->rateBox()->setCurrentText(QStringLiteral("59.94"));
        QVERIFY(rate->isValid());
        AppSettings s = dlg.settings();
        QCOMPARE(s.targetFps, QStringLiteral("59.94"));
        s.outputFolder = QStringLiteral("/out");
        const JobSettings js = s.jobFor(QStringLiteral("/in/clip.mp4"));
        QVERIFY(js.targetFps);
        QCOMPARE(js.targetFps->num, 60000);
        QCOMPARE(js.targetFps->den, 1001);
        QCOMPARE(s.outputPathFor(QStringLiteral("/in/clip.mp4")), QStringLiteral("/out/clip_59.94fps.mp4"));
        s.save();
        QCOMPARE(AppSettings::load().targetFps, QStringLiteral("59.94"));
        rate->rateBox()->setCurrentText(QStringLiteral("sixty"));
        QVERIFY(!rate->isValid());

        // One job: its source is 23.976 fps, so 200 is more than 8x and 60 is 2.5x.
        QueueJob job;
        job.fpsNum = 24000;
        job.fpsDen = 1001;
        job.frames = 240;
        job.settings = js;
        JobSettingsDialog jd(job.settings, job.sourceFps());
        FrameRateChooser* jr = jd.frameRate();
        QCOMPARE(jr->targetFps(), QStringLiteral("59.94"));
        jr->rateBox()->setCurrentText(QStringLiteral("200"));
        QVERIFY(!jr->isValid());
        jr->rateBox()->setCurrentText(QStringLiteral("60"));
        QVERIFY(jr->isValid());
        bool noted = false;
        for (QLabel* l : jr->findChildren<QLabel*>()) noted |= l->text().contains(QStringLiteral("2.50×"));
        QVERIFY(noted);
        QCOMPARE(jd.settings().targetFps->num, 60);
        jr->modeBox()->setCurrentIndex(0);
        QVERIFY(!jd.settings().targetFps);

        const QueueJob back = QueueJob::fromJson(job.toJson());
        QVERIFY(back.settings.targetFps && back.settings.targetFps->num == 60000 && back.settings.targetFps->den == 1001);
        QueueModel model;
        model.append(back);
        QCOMPARE(model.data(model.index(0, QueueModel::ColFps), Qt::DisplayRole).toString(), QStringLiteral("23.976 → 59.94"));
        QCOMPARE(back.outputFramesTotal(), qint64(std::llround(240 * 2.5)));
    }

    // The factor choices name rates as the queue does ("24 → 48", "29.97 → 59.94"; they read
    // "24.000 → 48.000" in Job settings).
    void factorChoicesNameTheRatesAsTheQueueDoes() {
        QComboBox combo;
        fillFactorCombo(&combo, 24, 4);
        QCOMPARE(combo.count(), 3);
        QCOMPARE(combo.itemText(0), QStringLiteral("2× (24 → 48 fps)"));
        QCOMPARE(combo.currentData().toInt(), 4);
        fillFactorCombo(&combo, 30000.0 / 1001.0, 2);
        QCOMPARE(combo.itemText(0), QStringLiteral("2× (29.97 → 59.94 fps)"));
        QCOMPARE(combo.itemText(2), QStringLiteral("8× (29.97 → 239.76 fps)"));
        fillFactorCombo(&combo, 0, 2);
        QCOMPARE(combo.itemText(0), QStringLiteral("2× (e.g. 30 → 60 fps)"));
    }

    void encodersAreTheOnesThatWorkHere() {
        SettingsDialog dlg(AppSettings{}, 30);
        QStringList expected{QString()};
        for (const EncoderInfo& e : usableEncoders()) expected << QString::fromStdString(e.name);
        QCOMPARE(itemData(dlg.encodeEditor()->encoderBox()), expected);
        // A job saved with an encoder this machine lacks keeps it, marked, instead of changing silently.
        AppSettings nvenc;
        nvenc.encoder = QStringLiteral("hevc_nvenc");
        SettingsDialog other(nvenc, 30);
        QCOMPARE(other.settings().encoder, QStringLiteral("hevc_nvenc"));
    }

    void settingsExplainThemselves() {
        SettingsDialog dlg(AppSettings{}, 30);
        for (const QString& tip : {stepsToolTip(), flowScaleToolTip(), sceneThresholdToolTip(), chunkLengthToolTip(),
                                   memoryBudgetToolTip()}) {
            QVERIFY(tip.size() > 40);
            QVERIFY2(hasToolTip(&dlg, tip), qPrintable(tip));
        }
        JobSettingsDialog job(JobSettings{}, 30);
        QVERIFY(hasToolTip(&job, sceneThresholdToolTip()));
        QVERIFY(hasToolTip(&job, chunkLengthToolTip()));
    }

    // The device list is what the machine has (here: the CPU only); GPU-only choices appear with a GPU.
    void devicesAreTheMachines() {
        const std::vector<ComputeDevice> machine = listComputeDevices();
        QVERIFY(!machine.empty());
        QCOMPARE(QString::fromStdString(machine.front().id), QStringLiteral("cpu"));
        const bool gpu = std::any_of(machine.begin(), machine.end(), [](const ComputeDevice& d) { return d.kind == "cuda"; });
        SettingsDialog dlg(AppSettings{}, 30);
        DeviceList* list = dlg.deviceList();
        QCOMPARE(list->count(), int(machine.size()));
        for (int i = 0; i < list->count(); ++i)
            QVERIFY2(list->item(i)->text().contains(QString::fromStdString(machine[size_t(i)].name)), qPrintable(list->item(i)->text()));
        QCOMPARE(list->checked(), QStringList{QStringLiteral("cpu")});
        QCOMPARE(DeviceCatalog::instance()->hasGpu(), gpu);
        // CPU: fp32 only.
        QComboBox* precision = nullptr;
        for (QComboBox* c : dlg.findChildren<QComboBox*>())
            if (c->findData(QStringLiteral("fp32")) >= 0) precision = c;
        QVERIFY(precision);
        QCOMPARE(precision->count(), 1);

        MainWindow w;
        QTRY_VERIFY_WITH_TIMEOUT(DeviceCatalog::instance()->isReady(), 20000);
        QAction* pauseFree = nullptr;
        for (QAction* a : w.findChildren<QAction*>())
            if (a->text() == MainWindow::tr("Pause and free &GPU memory")) pauseFree = a;
        QVERIFY(pauseFree);
        QCOMPARE(pauseFree->isVisible(), gpu);
    }

    // Devices are saved with the defaults and with each job, and the row says where the job runs.
    void devicesArePersistedAndShown() {
        AppSettings s;
        s.devices = {QStringLiteral("cuda:0"), QStringLiteral("cuda:1")};
        s.precision = QStringLiteral("fp16");
        s.save();
        const AppSettings r = AppSettings::load();
        QCOMPARE(r.devices, s.devices);
        const JobSettings js = r.jobFor(QStringLiteral("/in/a.mp4"));
        QCOMPARE(js.devices, (std::vector<std::string>{"cuda:0", "cuda:1"}));
        QueueJob job;
        job.settings = js;
        job.settings.encode.preset = "slow";
        const QueueJob back = QueueJob::fromJson(job.toJson());
        QCOMPARE(back.settings.devices, js.devices);
        QCOMPARE(back.settings.encode.preset, std::string("slow"));
        QCOMPARE(devicesOf(back.settings), s.devices);
        QueueModel model;
        model.append(back);
        QCOMPARE(model.data(model.index(0, QueueModel::ColDevices), Qt::DisplayRole).toString(), QStringLiteral("GPU 0, 1"));
        QueueJob cpu;
        model.append(cpu);
        QCOMPARE(model.data(model.index(1, QueueModel::ColDevices), Qt::DisplayRole).toString(), QStringLiteral("CPU"));
        // A settings file of an older build had one "device".
        QSettings().remove(QStringLiteral("defaults/devices"));
        QSettings().setValue(QStringLiteral("defaults/device"), QStringLiteral("cuda:1"));
        QCOMPARE(AppSettings::load().devices, QStringList{QStringLiteral("cuda:1")});
        // The job dialog shows and returns the job's devices.
        JobSettingsDialog dlg(js, 30);
        QCOMPARE(dlg.deviceList()->checked(), s.devices);
        QCOMPARE(dlg.settings().devices, js.devices);
    }

    void presetsForDefaultsAndJobs() {
        QStringList builtIn;
        for (const OutputPreset& p : builtInPresets()) builtIn << p.name;
        QVERIFY(builtIn.contains(QStringLiteral("4K HEVC 10-bit")));
        QVERIFY(builtIn.contains(QStringLiteral("Lossless FFV1")));
        {
            SettingsDialog dlg(AppSettings{}, 30);
            PresetChooser* chooser = dlg.presetChooser();
            QCOMPARE(chooser->current(), QString());   // the defaults match no preset: "Custom"
            QVERIFY(chooser->choose(QStringLiteral("4K HEVC 10-bit")));
            AppSettings s = dlg.settings();
            QCOMPARE(s.encoder, QStringLiteral("libx265"));
            QCOMPARE(s.pixFmt, QStringLiteral("yuv420p10le"));
            QCOMPARE(s.encoderPreset, QStringLiteral("slow"));
            QVERIFY(chooser->choose(QStringLiteral("Lossless FFV1")));
            QCOMPARE(dlg.settings().encoder, QStringLiteral("ffv1"));
            // Own values saved under a name; built-in names are not overwritten.
            chooseEncoder(dlg.encodeEditor(), QStringLiteral("libx264"));
            dlg.encodeEditor()->qualityBox()->setValue(23);
            dlg.encodeEditor()->presetBox()->setCurrentIndex(dlg.encodeEditor()->presetBox()->findData(QStringLiteral("veryfast")));
            QCOMPARE(chooser->current(), QString());
            QVERIFY(!chooser->saveCurrentAs(QStringLiteral("Lossless FFV1")));
            QVERIFY(chooser->saveCurrentAs(QStringLiteral("Web upload")));
            QCOMPARE(chooser->current(), QStringLiteral("Web upload"));
        }
        // Offered again in a new Settings dialog and for one job.
        JobSettings js;
        js.encode.encoder = "ffv1";
        JobSettingsDialog job(js, 30);
        QCOMPARE(job.presetChooser()->current(), QStringLiteral("Lossless FFV1"));
        QVERIFY(job.presetChooser()->choose(QStringLiteral("Web upload")));
        const EncodeOptions chosen = job.settings().encode;
        QCOMPARE(chosen.encoder, std::string("libx264"));
        QCOMPARE(chosen.quality, 23);
        QCOMPARE(chosen.preset, std::string("veryfast"));
        job.presetChooser()->removeCurrent();
        SettingsDialog again(AppSettings{}, 30);
        QVERIFY(!again.presetChooser()->choose(QStringLiteral("Web upload")));
    }

    // One meter line per device: name, memory used of total, fps; the CPU has no memory figure.
    void metersShowEachDevice() {
        QueueModel model;
        QueueJob job;
        job.state = JobState::Running;
        job.hasProgress = true;
        job.progress.phase = JobPhase::Rendering;
        DeviceProgress a;
        a.deviceId = "cuda:0";
        a.displayName = "NVIDIA H100 80GB HBM3";
        a.memUsed = int64_t(12) << 30;
        a.memTotal = int64_t(80) << 30;
        a.fps = 1.25;
        DeviceProgress b = a;
        b.worker = 1;
        b.deviceId = "cuda:1";
        b.memUsed = int64_t(3) << 30;
        b.fps = 0.5;
        b.failed = true;
        job.progress.devices = {a, b};
        const qint64 id = model.append(job);
        MetersPanel meters(&model);
        meters.setJob(id);
        const QString text = meters.text();
        QVERIFY2(text.contains(QStringLiteral("NVIDIA H100 80GB HBM3 (cuda:0): 12.00 GiB of 80.00 GiB, 1.25 fps")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("NVIDIA H100 80GB HBM3 (cuda:1): 3.00 GiB of 80.00 GiB, 0.50 fps – failed")), qPrintable(text));
        DeviceProgress cpu;
        cpu.deviceId = "cpu";
        cpu.displayName = "CPU";
        cpu.fps = 3;
        model.job(id)->progress.devices = {cpu};
        model.changed(id);
        QVERIFY2(meters.text().contains(QStringLiteral("CPU (cpu): 3.00 fps")), qPrintable(meters.text()));
        // Source frames are counted with the finished chunks, and said so.
        Progress& p = model.job(id)->progress;
        p.outputFramesDone = 266;
        p.outputFramesTotal = 575;
        p.sourceFramesDone = 96;
        p.sourceFramesTotal = 288;
        p.chunksDone = 2;
        p.chunksTotal = 6;
        model.changed(id);
        QVERIFY2(meters.text().contains(QStringLiteral("266 / 575 output frames (chunks finished: 2 / 6, with 96 / 288 source frames)")),
                 qPrintable(meters.text()));
    }
};

QTEST_MAIN(TestUiSettings)
#include "test_ui_settings.moc"
