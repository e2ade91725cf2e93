#include "ui/app_settings.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>

#include <algorithm>

#include "ui/queue_model.h"
#include "vfi/encoders.h"

namespace vfi::ui {

AppSettings AppSettings::load() {
    QSettings s;
    AppSettings a;
    s.beginGroup(QStringLiteral("defaults"));
    a.checkpointPath = s.value(QStringLiteral("checkpoint"), a.checkpointPath).toString();
    a.blendFallback = s.value(QStringLiteral("blendFallback"), a.blendFallback).toBool();
    a.modelUrl = s.value(QStringLiteral("modelUrl"), a.modelUrl).toString();
    a.modelSha256 = s.value(QStringLiteral("modelSha256"), a.modelSha256).toString();
    a.modelConfig = s.value(QStringLiteral("modelConfig"), a.modelConfig).toString();
    a.devices = s.value(QStringLiteral("devices")).toStringList();
    if (a.devices.isEmpty()) a.devices = QStringList{s.value(QStringLiteral("device"), QStringLiteral("cpu")).toString()};
    a.precision = s.value(QStringLiteral("precision"), a.precision).toString();
    a.steps = s.value(QStringLiteral("steps"), a.steps).toInt();
    a.flowScale = s.value(QStringLiteral("flowScale"), a.flowScale).toDouble();
    a.memoryBudgetMb = s.value(QStringLiteral("memoryBudgetMb"), a.memoryBudgetMb).toInt();
    a.factor = s.value(QStringLiteral("factor"), a.factor).toInt();
    a.targetFps = s.value(QStringLiteral("targetFps"), a.targetFps).toString();
    a.encoder = s.value(QStringLiteral("encoder"), a.encoder).toString();
    a.quality = s.value(QStringLiteral("quality"), a.quality).toInt();
    a.encoderPreset = s.value(QStringLiteral("encoderPreset"), a.encoderPreset).toString();
    a.pixFmt = s.value(QStringLiteral("pixFmt"), a.pixFmt).toString();
    a.outputFolder = s.value(QStringLiteral("outputFolder"), a.outputFolder).toString();
    a.namePattern = s.value(QStringLiteral("namePattern"), a.namePattern).toString();
    a.chunkFrames = s.value(QStringLiteral("chunkFrames"), a.chunkFrames).toInt();
    a.sceneThreshold = s.value(QStringLiteral("sceneThreshold"), a.sceneThreshold).toDouble();
    a.minFreeDiskGb = s.value(QStringLiteral("minFreeDiskGb"), a.minFreeDiskGb).toDouble();
    a.overwriteOutput = s.value(QStringLiteral("overwriteOutput"), a.overwriteOutput).toBool();
    a.language = s.value(QStringLiteral("language"), a.language).toString();
    a.verify = parseVerifyDepth(s.value(QStringLiteral("verify")).toString().toStdString()).value_or(a.verify);
    s.endGroup();
    if (a.factor != 2 && a.factor != 4 && a.factor != 8) a.factor = 2;
    return a;
}

void AppSettings::save() const {
    QSettings s;
    s.beginGroup(QStringLiteral("defaults"));
    s.setValue(QStringLiteral("checkpoint"), checkpointPath);
    s.setValue(QStringLiteral("blendFallback"), blendFallback);
    s.setValue(QStringLiteral("modelUrl"), modelUrl);
    s.setValue(QStringLiteral("modelSha256"), modelSha256);
    s.setValue(QStringLiteral("modelConfig"), modelConfig);
    s.setValue(QStringLiteral("devices"), devices);
    s.remove(QStringLiteral("device"));
    s.setValue(QStringLiteral("precision"), precision);
    s.setValue(QStringLiteral("steps"), steps);
    s.setValue(QStringLiteral("flowScale"), flowScale);
    s.setValue(QStringLiteral("memoryBudgetMb"), memoryBudgetMb);
    s.setValue(QStringLiteral("factor"), factor);
    s.setValue(QStringLiteral("targetFps"), targetFps);
    s.setValue(QStringLiteral("encoder"), encoder);
    s.setValue(QStringLiteral("quality"), quality);
    s.setValue(QStringLiteral("encoderPreset"), encoderPreset);
    s.setValue(QStringLiteral("pixFmt"), pixFmt);
    s.setValue(QStringLiteral("outputFolder"), outputFolder);
    s.setValue(QStringLiteral("namePattern"), namePattern);
    s.setValue(QStringLiteral("chunkFrames"), chunkFrames);
    s.setValue(QStringLiteral("sceneThreshold"), sceneThreshold);
    s.setValue(QStringLiteral("minFreeDiskGb"), minFreeDiskGb);
    s.setValue(QStringLiteral("overwriteOutput"), overwriteOutput);
    s.setValue(QStringLiteral("language"), language);
    s.setValue(QStringLiteral("verify"), QString::fromLatin1(verifyDepthName(verify)));
    s.endGroup();
    s.sync();
}

QString AppSettings::outputPathFor(const QString& inputPath) const {
    const QFileInfo in(inputPath);
    const QString ext = containerFor(encoder, in.suffix().toLower());
    QString name = namePattern.isEmpty() ? QStringLiteral("{name}_{factor}x.{ext}") : namePattern;
    name.replace(QStringLiteral("{name}"), in.completeBaseName());
    const auto rate = parseFrameRate(targetFps.toStdString());
    if (rate) name.replace(QStringLiteral("{factor}x"), QStringLiteral("{rate}fps"));
    name.replace(QStringLiteral("{rate}"), rate ? frameRateText(*rate) : QString::number(factor) + QLatin1Char('x'));
    name.replace(QStringLiteral("{factor}"), QString::number(factor));
    name.replace(QStringLiteral("{ext}"), ext);
    const QString folder = outputFolder.isEmpty() ? in.absolutePath() : outputFolder;
    return QDir(folder).filePath(name);
}

JobSettings AppSettings::jobFor(const QString& inputPath) const {
    JobSettings j;
    j.inputPath = QFileInfo(inputPath).absoluteFilePath().toStdString();
    j.outputPath = outputPathFor(inputPath).toStdString();
    j.factor = factor;
    j.targetFps = parseFrameRate(targetFps.toStdString());
    j.backend = backend();
    j.model.checkpointPath = checkpointPath.toStdString();
    j.model.configPath = modelConfig.toStdString();
    setDevices(j, devices);
    j.model.precision = precision.toStdString();
    j.model.steps = steps;
    j.model.flowScale = flowScale;
    j.model.memoryBudgetMb = memoryBudgetMb;
    j.encode = encode();
    j.chunkFrames = chunkFrames;
    j.sceneThreshold = sceneThreshold;
    j.minFreeDiskGb = minFreeDiskGb;
    j.overwrite = overwriteOutput;
    j.verify = verify;
    return j;
}

QString containerFor(const QString& encoder, const QString& wanted) {
    const std::string name = encoder.isEmpty() ? "libx264" : encoder.toStdString();
    for (const EncoderInfo& e : allEncoders()) {
        if (e.name != name || e.containers.empty()) continue;
        auto allowed = [&](const QString& c) {
            return std::find(e.containers.begin(), e.containers.end(), c.toStdString()) != e.containers.end();
        };
        if (allowed(wanted)) return wanted;
        if (allowed(QStringLiteral("mp4"))) return QStringLiteral("mp4");
        return QString::fromStdString(e.containers.front());
    }
    return QStringLiteral("mp4");
}

QString frameRateText(const Rational& rate) {
    const QString text = QueueModel::formatRate(rate.toDouble());
    const auto back = parseFrameRate(text.toStdString());
    if (back && int64_t(back->num) * rate.den == int64_t(rate.num) * back->den) return text;
    return QStringLiteral("%1/%2").arg(rate.num).arg(rate.den);
}

QStringList devicesOf(const JobSettings& job) {
    QStringList out;
    for (const std::string& d : job.devices) out << QString::fromStdString(d);
    if (out.isEmpty()) out << (job.model.device.empty() ? QStringLiteral("cpu") : QString::fromStdString(job.model.device));
    return out;
}

void setDevices(JobSettings& job, const QStringList& devices) {
    job.model.device = devices.value(0, QStringLiteral("cpu")).toStdString();
    job.devices.clear();
    if (devices.size() > 1)
        for (const QString& d : devices) job.devices.push_back(d.toStdString());
}

EncodeOptions AppSettings::encode() const {
    EncodeOptions e;
    e.encoder = encoder.toStdString();
    e.quality = quality;
    e.preset = encoderPreset.toStdString();
    e.pixFmt = pixFmt.toStdString();
    return e;
}

void AppSettings::setEncode(const EncodeOptions& e) {
    encoder = QString::fromStdString(e.encoder);
    quality = e.quality;
    encoderPreset = QString::fromStdString(e.preset);
    pixFmt = QString::fromStdString(e.pixFmt);
}

QString validateCheckpoint(const QString& path) {
    if (path.isEmpty()) return QCoreApplication::translate("vfi::ui", "No checkpoint file chosen.");
    const QFileInfo fi(path);
    if (!fi.exists()) return QCoreApplication::translate("vfi::ui", "The file %1 does not exist.").arg(path);
    if (!fi.isFile() || !fi.isReadable())
        return QCoreApplication::translate("vfi::ui", "The file %1 cannot be read.").arg(path);
    // The official vimeo_unet.pth is a zip archive of about 3.6 GB; reduced test configs are smaller
    // but still zip (PyTorch >= 1.6 format) files.
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QCoreApplication::translate("vfi::ui", "The file %1 cannot be read.").arg(path);
    const QByteArray head = f.read(4);
    if (!head.startsWith("PK"))
        return QCoreApplication::translate("vfi::ui", "%1 is not a PyTorch checkpoint (expected a .pth zip archive).")
            .arg(path);
    return {};
}

}  // namespace vfi::ui
