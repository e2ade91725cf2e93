// Application defaults persisted with QSettings (organisation "TLBVFI", application "TLBVFI Studio",
// or whatever QCoreApplication says: tests point QSettings at a temp path). GUI thread only.
#pragma once

#include <QString>
#include <QStringList>

#include "vfi/job_settings.h"

namespace vfi::ui {

struct AppSettings {
    QString checkpointPath;
    bool blendFallback = false;          // user chose the non-AI preview mode on first run
    // Model download (Settings -> Model): the URL ("" = vfi::kDefaultModelUrl, Hugging Face) and the
    // SHA-256 of the last file installed, so a later file with another hash is reported.
    QString modelUrl;
    QString modelSha256;
    // JSON model configuration (ModelOptions::configPath; "" = the official one). Not in the dialogs:
    // for reduced test models (the golden tiny-config.json), set in the settings file as "modelConfig".
    QString modelConfig;
    // JobSettings::devices: "cpu", or CUDA devices "cuda:0", "cuda:1", ... (Settings -> Devices).
    // Saved as "devices"; a settings file of an older build had one "device".
    QStringList devices{QStringLiteral("cpu")};
    QString precision = QStringLiteral("fp32");
    int steps = 10;
    double flowScale = 0.5;
    int memoryBudgetMb = 0;              // 0 = automatic (ModelOptions::memoryBudgetMb)
    int factor = 2;
    // A target frame rate instead of the factor ("" = the factor): what the user typed, "60", "59.94"
    // or "60000/1001" (vfi::parseFrameRate); JobSettings::targetFps.
    QString targetFps;
    QString encoder;                     // "" = automatic
    int quality = -1;
    QString encoderPreset;               // EncodeOptions::preset, "" = the encoder's default
    QString pixFmt;                      // "" = automatic
    QString outputFolder;                // "" = next to the source
    QString namePattern = QStringLiteral("{name}_{factor}x.{ext}");
    int chunkFrames = 0;
    double sceneThreshold = 0.35;
    double minFreeDiskGb = 2.0;
    // An existing output file: false = the new job writes "name_2x (2).mp4" (the GUI default),
    // true = it replaces the file (JobSettings::overwrite).
    bool overwriteOutput = false;
    VerifyDepth verify = VerifyDepth::Quick;   // JobSettings::verify (docs/cli.md); saved as "quick" | "full"
    QString language;                    // "" = system, "en", "ko"

    static AppSettings load();
    void save() const;

    // Output path for a source, from the folder and the pattern ({name}, {factor}, {rate}, {ext}); with
    // a target rate, "{factor}x" reads "{rate}fps" ("clip_59.94fps.mp4").
    QString outputPathFor(const QString& inputPath) const;
    // Job settings for a source with these defaults.
    JobSettings jobFor(const QString& inputPath) const;
    Backend backend() const { return blendFallback ? Backend::Blend : Backend::Tlbvfi; }
    EncodeOptions encode() const;
    void setEncode(const EncodeOptions& e);
};

// The output container for an encoder ("" = automatic): `wanted` (e.g. the source's extension) when
// the encoder can write it, else mp4 where it can, else its first (FFV1: mkv, ProRes: mov).
QString containerFor(const QString& encoder, const QString& wanted);

// "60", "59.94", "23.976" for a frame rate; "num/den" where the decimal would read as another rate
// (parseFrameRate takes 29.97 as 30000/1001, so 2997/100 stays a fraction).
QString frameRateText(const Rational& rate);

// A job's devices as the GUI lists them ("cpu", "cuda:0", ...): JobSettings::devices, or its one
// model.device. setDevices keeps JobSettings::devices empty for one device (model.device is it).
QStringList devicesOf(const JobSettings& job);
void setDevices(JobSettings& job, const QStringList& devices);

// Checks a checkpoint path cheaply (exists, readable, plausible size). Empty string: fine;
// otherwise a translated message saying what is wrong.
QString validateCheckpoint(const QString& path);

}  // namespace vfi::ui
