// Frame buffers are recycled by size, the cache stays bounded, and uninitialized() frames are usable.
#include <QtTest>

#include <set>

#include "vfi/frame_buffer.h"
#include "vfi/rgb_frame.h"

using namespace vfi;

class TestFrameBuffer : public QObject {
    Q_OBJECT

private slots:
    void init() { frame_buffer::trim(); }

    void sameSizeIsReused() {
        const size_t bytes = size_t(4) << 20;
        void* a = frame_buffer::acquire(bytes);
        QVERIFY(a);
        QCOMPARE(reinterpret_cast<uintptr_t>(a) % 64, uintptr_t(0));
        frame_buffer::release(a, bytes);
        QCOMPARE(frame_buffer::stats().cachedBuffers, size_t(1));
        QCOMPARE(frame_buffer::stats().cachedBytes, bytes);
        const size_t reusedBefore = frame_buffer::stats().reused;
        void* b = frame_buffer::acquire(bytes);
        QCOMPARE(b, a);
        QCOMPARE(frame_buffer::stats().reused, reusedBefore + 1);
        QCOMPARE(frame_buffer::stats().cachedBuffers, size_t(0));
        // Another size is not served from a cached buffer of a different size.
        frame_buffer::release(b, bytes);
        void* c = frame_buffer::acquire(bytes + 4096);
        QVERIFY(c != b);
        QCOMPARE(frame_buffer::stats().cachedBuffers, size_t(1));
        frame_buffer::release(c, bytes + 4096);
    }

    void smallBuffersAreNotCached() {
        void* p = frame_buffer::acquire(1000);
        QVERIFY(p);
        frame_buffer::release(p, 1000);
        QCOMPARE(frame_buffer::stats().cachedBuffers, size_t(0));
    }

    void cacheIsBounded() {
        const size_t bytes = size_t(2) << 20;
        std::vector<void*> held;
        for (size_t i = 0; i < frame_buffer::kMaxCachedBuffers + 4; ++i) held.push_back(frame_buffer::acquire(bytes));
        QCOMPARE(std::set<void*>(held.begin(), held.end()).size(), held.size());
        for (void* p : held) frame_buffer::release(p, bytes);
        const auto s = frame_buffer::stats();
        QCOMPARE(s.cachedBuffers, frame_buffer::kMaxCachedBuffers);
        QCOMPARE(s.cachedBytes, s.cachedBuffers * bytes);
        // The most recently released buffers are the ones kept.
        void* again = frame_buffer::acquire(bytes);
        QCOMPARE(again, held.back());
        frame_buffer::release(again, bytes);
        frame_buffer::trim();
        QCOMPARE(frame_buffer::stats().cachedBuffers, size_t(0));
        QCOMPARE(frame_buffer::stats().cachedBytes, size_t(0));
    }

    void rgbFramesRecycleTheirStorage() {
        const float* first = nullptr;
        {
            RgbFrame f = RgbFrame::uninitialized(640, 480);
            QCOMPARE(f.data.size(), size_t(640) * 480 * 3);
            QCOMPARE(f.planeSize(), size_t(640) * 480);
            f.plane(2)[f.planeSize() - 1] = 0.25f;
            first = f.data.data();
        }
        RgbFrame g = RgbFrame::uninitialized(640, 480);
        QCOMPARE(static_cast<const float*>(g.data.data()), first);
        // The zeroing constructor still zeroes, also on a recycled buffer.
        g = RgbFrame();
        RgbFrame z(640, 480);
        QCOMPARE(static_cast<const float*>(z.data.data()), first);
        QCOMPARE(z.plane(2)[z.planeSize() - 1], 0.0f);
        RgbFrame copy = z;
        QVERIFY(copy.data == z.data);
        QVERIFY(copy.data.data() != z.data.data());
    }
};

QTEST_GUILESS_MAIN(TestFrameBuffer)
#include "test_frame_buffer.moc"
