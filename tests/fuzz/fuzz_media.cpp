// Fuzz target: the media probe and the demux-only frame index (FFmpeg's demuxers chosen by probing
// the bytes), read from the fuzzer's bytes through a custom AVIOContext (media::openInputBytes).
#include <cstddef>
#include <cstdint>

extern "C" {
#include <libavutil/log.h>
#include <libavutil/mem.h>
}

#include "media/frame_index.h"
#include "media/input_file.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    av_log_set_level(AV_LOG_QUIET);
    // FFmpeg 5.1's MOV demuxer allocates (and zeroes) sample tables sized by a header count before
    // checking it against the atom's size: a 3 KB file asks for 1.7 GB (regressions/media/
    // mov-huge-sample-table). The demuxer then fails cleanly, but zeroing that much under ASan takes
    // longer than the 1 s per input; capped here, the allocation fails at once and the same error
    // path runs. (Not a memory error: the product reports "error reading header" as a bad input.)
    av_max_alloc(256 << 20);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto info = vfi::media::probeMediaBytes(data, size, "fuzz");
    auto idx = vfi::media::buildFrameIndexBytes(data, size, "fuzz");
    if (idx) {
        (void)idx->hash();
        (void)idx->keyframeAtOrBefore(idx->count() - 1);
        (void)idx->secondsOf(idx->count() - 1);
        (void)idx->checkComplete("fuzz");
        if (!idx->pts.empty()) (void)idx->find(idx->pts.back());
    }
    return info.ok() ? 0 : 0;
}
