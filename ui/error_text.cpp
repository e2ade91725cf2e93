#include "ui/error_text.h"

#include <QCoreApplication>
#include <QStringList>

namespace vfi::ui {
namespace {



QString arg(const QStringList& a, int i) { return i < a.size() ? a.at(i) : QStringLiteral("?"); }

// A full small volume (a USB stick, a quota) has megabytes left: "0.0 GiB free" said nothing.
QString bytesText(const QString& s) {
    bool ok = false;
    const double b = s.toDouble(&ok);
    if (!ok) return s;
    constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
    if (b < kGiB) return QString::number(b / (1024.0 * 1024.0), 'f', b < 10.0 * 1024 * 1024 ? 1 : 0) + QStringLiteral(" MiB");
    return QString::number(b / kGiB, 'f', 1) + QStringLiteral(" GiB");
}

}  // namespace

QString diskFullNote(const QStringList& a) {
    const QString needed = arg(a, 1);
    if (needed.isEmpty() || needed == QStringLiteral("?"))
        return QCoreApplication::translate("vfi::ui", "disk full (%1 free)").arg(bytesText(arg(a, 2)));
    return QCoreApplication::translate("vfi::ui", "disk full (%1 free, %2 needed)").arg(bytesText(arg(a, 2)), bytesText(needed));
}

QString errorText(const Error& error) {
    QStringList args;
    for (const auto& a : error.args) args << QString::fromStdString(a);
    return errorText(error.code, args, QString::fromStdString(error.message));
}

QString errorText(ErrorCode code, const QStringList& a, const QString& fallback) {
    switch (code) {
    case ErrorCode::Ok: return {};
    case ErrorCode::InvalidArgument:
        return QCoreApplication::translate("vfi::ui", "Invalid value \"%2\" for %1.").arg(arg(a, 0), arg(a, 1));
    case ErrorCode::InputNotFound:
        return QCoreApplication::translate("vfi::ui", "The file %1 was not found.").arg(arg(a, 0));
    case ErrorCode::NotAVideo:
        return QCoreApplication::translate("vfi::ui", "%1 is not a video file that can be read (%2).")
            .arg(arg(a, 0), arg(a, 1));
    case ErrorCode::NoVideoStream:
        return QCoreApplication::translate("vfi::ui", "%1 has no video stream.").arg(arg(a, 0));
    case ErrorCode::TruncatedInput:
        return QCoreApplication::translate("vfi::ui", "%1 is truncated or damaged (%2).").arg(arg(a, 0), arg(a, 1));
    case ErrorCode::UnsupportedCodec:
        return QCoreApplication::translate("vfi::ui", "The codec %1 is not supported.").arg(arg(a, 0));
    case ErrorCode::UnsupportedFormat:
        return QCoreApplication::translate("vfi::ui", "The encoder %1 cannot write pixel format %2 into a %3 file.")
            .arg(arg(a, 0), arg(a, 1), arg(a, 2));
    case ErrorCode::OutputEqualsInput:
        return QCoreApplication::translate("vfi::ui", "The output file would overwrite the source %1.").arg(arg(a, 0));
    case ErrorCode::OutputNotWritable:
        return QCoreApplication::translate("vfi::ui", "Cannot write to %1 (%2).").arg(arg(a, 0), arg(a, 1));
    case ErrorCode::OutputExists:
        return QCoreApplication::translate("vfi::ui", "The output file %1 already exists.").arg(arg(a, 0));
    case ErrorCode::DiskFull:
        if (arg(a, 1).isEmpty())   // a full disk met while writing, outside a job that knows its needs
            return QCoreApplication::translate("vfi::ui", "The disk holding %1 is full (%2 free). The job is paused and can be resumed.")
                .arg(arg(a, 0), bytesText(arg(a, 2)));
        return QCoreApplication::translate("vfi::ui", "Not enough free space at %1: %2 needed, %3 free. The job is paused and can be resumed.")
            .arg(arg(a, 0), bytesText(arg(a, 1)), bytesText(arg(a, 2)));
    case ErrorCode::CheckpointMissing:
        return QCoreApplication::translate("vfi::ui", "The model checkpoint %1 was not found. Choose vimeo_unet.pth in the settings.")
            .arg(arg(a, 0));
    case ErrorCode::CheckpointInvalid:
        return QCoreApplication::translate("vfi::ui", "The model checkpoint %1 cannot be used (%2).").arg(arg(a, 0), arg(a, 1));
    case ErrorCode::ModelError:
        return QCoreApplication::translate("vfi::ui", "The model failed: %1").arg(arg(a, 0));
    case ErrorCode::DeviceUnavailable:
        return QCoreApplication::translate("vfi::ui", "The device %1 is not available (%2).").arg(arg(a, 0), arg(a, 1));
    case ErrorCode::SessionMismatch:
        return QCoreApplication::translate("vfi::ui", "The saved session does not match this job (%1 changed). Delete the session folder or restore the original settings.")
            .arg(arg(a, 0));
    case ErrorCode::SessionIncomplete:
        return QCoreApplication::translate("vfi::ui", "The session is incomplete; missing chunks: %1.").arg(arg(a, 0));
    case ErrorCode::SessionLocked:
        return QCoreApplication::translate("vfi::ui", "The session is in use by another process (host %1, process %2).")
            .arg(arg(a, 0), arg(a, 1));
    case ErrorCode::ChunkInvalid:
        return QCoreApplication::translate("vfi::ui", "The chunk %1 is invalid (%2).").arg(arg(a, 0), arg(a, 1));
    case ErrorCode::VerifyFailed:
        return QCoreApplication::translate("vfi::ui", "Verification of %1 failed (%2).").arg(arg(a, 0), arg(a, 1));
    case ErrorCode::EncoderUnavailable:
        return QCoreApplication::translate("vfi::ui", "The encoder %1 is not available (%2).").arg(arg(a, 0), arg(a, 1));
    case ErrorCode::Ffmpeg:
        return QCoreApplication::translate("vfi::ui", "FFmpeg error during %1: %2").arg(arg(a, 0), arg(a, 1));
    case ErrorCode::Io:
        return QCoreApplication::translate("vfi::ui", "File error on %1: %2").arg(arg(a, 0), arg(a, 1));
    case ErrorCode::Cancelled: return QCoreApplication::translate("vfi::ui", "Cancelled.");
    case ErrorCode::Paused: return QCoreApplication::translate("vfi::ui", "Paused.");
    case ErrorCode::Internal:
        return QCoreApplication::translate("vfi::ui", "Internal error: %1").arg(a.isEmpty() ? fallback : a.at(0));
    case ErrorCode::Network:
        return QCoreApplication::translate("vfi::ui", "The download from %1 failed: %2").arg(arg(a, 0), arg(a, 1));
    }
    return fallback;
}

QString stateText(JobState state) {
    switch (state) {
    case JobState::Queued: return QCoreApplication::translate("vfi::ui", "Queued");
    case JobState::Running: return QCoreApplication::translate("vfi::ui", "Running");
    case JobState::Paused: return QCoreApplication::translate("vfi::ui", "Paused");
    case JobState::Joining: return QCoreApplication::translate("vfi::ui", "Joining");
    case JobState::Verifying: return QCoreApplication::translate("vfi::ui", "Verifying");
    case JobState::Succeeded: return QCoreApplication::translate("vfi::ui", "Succeeded");
    case JobState::Failed: return QCoreApplication::translate("vfi::ui", "Failed");
    case JobState::Cancelled: return QCoreApplication::translate("vfi::ui", "Cancelled");
    case JobState::Interrupted: return QCoreApplication::translate("vfi::ui", "Interrupted (resumable)");
    }
    return {};
}

}  // namespace vfi::ui
