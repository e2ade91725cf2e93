// Progress::projectedBytes follows what the encoder really writes: once chunks are on disk the
// projection is their bytes per output frame times the job's output frames, not an a-priori
// bytes-per-pixel guess (that guess made the GUI show 10-20x the final size, issue 14).
#include <QFileInfo>
#include <QTest>

#include <mutex>
#include <vector>

#include "support/media_gen.h"
#include "vfi/job_runner.h"

using namespace vfi;

namespace {
class Recorder : public JobObserver {
public:
    void onProgress(const Progress& p) override {
        std::lock_guard lock(m_mutex);
        m_updates.push_back(p);
    }
    std::vector<Progress> updates() {
        std::lock_guard lock(m_mutex);
        return m_updates;
    }

private:
    std::mutex m_mutex;
    std::vector<Progress> m_updates;
};
}  // namespace

class TestProgressProjection : public QObject {
    Q_OBJECT
private slots:
    void projectionFollowsTheWrittenChunks_data() {
        QTest::addColumn<QString>("encoder");
        QTest::addColumn<QString>("extension");
        QTest::newRow("libx264") << QStringLiteral("libx264") << QStringLiteral("mp4");
        QTest::newRow("ffv1") << QStringLiteral("ffv1") << QStringLiteral("mkv");
    }
    void projectionFollowsTheWrittenChunks() {
        QFETCH(QString, encoder);
        QFETCH(QString, extension);
        test::TempDir tmp;
        test::GenSpec spec;
        spec.width = 320;
        spec.height = 180;
        spec.frames = 48;
        const std::string clip = tmp.file("clip.mp4");
        QVERIFY(test::generate(clip, spec).ok());

        JobSettings s;
        s.inputPath = clip;
        s.outputPath = tmp.file("out." + extension.toStdString());
        s.backend = Backend::Blend;
        s.encode.encoder = encoder.toStdString();
        s.chunkFrames = 8;
        s.minFreeDiskGb = 0;
        Recorder rec;
        JobRunner runner;
        auto result = runner.run(s, &rec);
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
        const double finalBytes = double(QFileInfo(QString::fromStdString(s.outputPath)).size());
        QVERIFY(finalBytes > 0);

        int checked = 0;
        double last = 0;
        for (const Progress& p : rec.updates()) {
            if (p.phase != JobPhase::Rendering || p.chunksDone < 1) continue;
            const double ratio = double(p.projectedBytes) / finalBytes;
            QVERIFY2(ratio > 0.5 && ratio < 2.0,
                     qPrintable(QStringLiteral("%1 of %2 chunks: projected %3 bytes, final %4 bytes")
                                    .arg(p.chunksDone).arg(p.chunksTotal).arg(p.projectedBytes).arg(finalBytes)));
            ++checked;
            if (p.chunksDone == p.chunksTotal) last = ratio;
        }
        QVERIFY2(checked >= 5, qPrintable(QString::number(checked)));
        // With every chunk written the projection is the chunks' bytes: the join only adds headers.
        QVERIFY2(last > 0.9 && last < 1.1, qPrintable(QString::number(last)));
    }
};

QTEST_GUILESS_MAIN(TestProgressProjection)
#include "test_progress_projection.moc"
