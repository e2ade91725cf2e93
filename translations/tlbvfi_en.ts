<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>main</name>
    <message>
        <source>Raise the frame rate of videos with TLB-VFI.</source>
        <translation>Raise the frame rate of videos with TLB-VFI.</translation>
    </message>
    <message>
        <source>Save screenshots into &lt;dir&gt; and quit.</source>
        <translation>Save screenshots into &lt;dir&gt; and quit.</translation>
    </message>
    <message>
        <source>Language for this run (en, ko).</source>
        <translation>Language for this run (en, ko).</translation>
    </message>
    <message>
        <source>Videos or folders to add to the queue.</source>
        <translation>Videos or folders to add to the queue.</translation>
    </message>
    <message>
        <source>Start interpolating the queue (queued and interrupted jobs) at launch.</source>
        <translation>Start interpolating the queue (queued and interrupted jobs) at launch.</translation>
    </message>
</context>
<context>
    <name>vfi::ui</name>
    <message>
        <source>No checkpoint file chosen.</source>
        <translation>No checkpoint file chosen.</translation>
    </message>
    <message>
        <source>The file %1 does not exist.</source>
        <translation>The file %1 does not exist.</translation>
    </message>
    <message>
        <source>The file %1 cannot be read.</source>
        <translation>The file %1 cannot be read.</translation>
    </message>
    <message>
        <source>%1 is not a PyTorch checkpoint (expected a .pth zip archive).</source>
        <translation>%1 is not a PyTorch checkpoint (expected a .pth zip archive).</translation>
    </message>
    <message>
        <source>Invalid value "%2" for %1.</source>
        <translation>Invalid value "%2" for %1.</translation>
    </message>
    <message>
        <source>The file %1 was not found.</source>
        <translation>The file %1 was not found.</translation>
    </message>
    <message>
        <source>%1 is not a video file that can be read (%2).</source>
        <translation>%1 is not a video file that can be read (%2).</translation>
    </message>
    <message>
        <source>%1 has no video stream.</source>
        <translation>%1 has no video stream.</translation>
    </message>
    <message>
        <source>%1 is truncated or damaged (%2).</source>
        <translation>%1 is truncated or damaged (%2).</translation>
    </message>
    <message>
        <source>The codec %1 is not supported.</source>
        <translation>The codec %1 is not supported.</translation>
    </message>
    <message>
        <source>The encoder %1 cannot write pixel format %2 into a %3 file.</source>
        <translation>The encoder %1 cannot write pixel format %2 into a %3 file.</translation>
    </message>
    <message>
        <source>The output file would overwrite the source %1.</source>
        <translation>The output file would overwrite the source %1.</translation>
    </message>
    <message>
        <source>Cannot write to %1 (%2).</source>
        <translation>Cannot write to %1 (%2).</translation>
    </message>
    <message>
        <source>The output file %1 already exists.</source>
        <translation>The output file %1 already exists.</translation>
    </message>
    <message>
        <source>Not enough free space at %1: %2 needed, %3 free. The job is paused and can be resumed.</source>
        <translation>Not enough free space at %1: %2 needed, %3 free. The job is paused and can be resumed.</translation>
    </message>
    <message>
        <source>The model checkpoint %1 was not found. Choose vimeo_unet.pth in the settings.</source>
        <translation>The model checkpoint %1 was not found. Choose vimeo_unet.pth in the settings.</translation>
    </message>
    <message>
        <source>The model checkpoint %1 cannot be used (%2).</source>
        <translation>The model checkpoint %1 cannot be used (%2).</translation>
    </message>
    <message>
        <source>The model failed: %1</source>
        <translation>The model failed: %1</translation>
    </message>
    <message>
        <source>The device %1 is not available (%2).</source>
        <translation>The device %1 is not available (%2).</translation>
    </message>
    <message>
        <source>The saved session does not match this job (%1 changed). Delete the session folder or restore the original settings.</source>
        <translation>The saved session does not match this job (%1 changed). Delete the session folder or restore the original settings.</translation>
    </message>
    <message>
        <source>The session is incomplete; missing chunks: %1.</source>
        <translation>The session is incomplete; missing chunks: %1.</translation>
    </message>
    <message>
        <source>The session is in use by another process (host %1, process %2).</source>
        <translation>The session is in use by another process (host %1, process %2).</translation>
    </message>
    <message>
        <source>The chunk %1 is invalid (%2).</source>
        <translation>The chunk %1 is invalid (%2).</translation>
    </message>
    <message>
        <source>Verification of %1 failed (%2).</source>
        <translation>Verification of %1 failed (%2).</translation>
    </message>
    <message>
        <source>The encoder %1 is not available (%2).</source>
        <translation>The encoder %1 is not available (%2).</translation>
    </message>
    <message>
        <source>FFmpeg error during %1: %2</source>
        <translation>FFmpeg error during %1: %2</translation>
    </message>
    <message>
        <source>File error on %1: %2</source>
        <translation>File error on %1: %2</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Cancelled.</translation>
    </message>
    <message>
        <source>Paused.</source>
        <translation>Paused.</translation>
    </message>
    <message>
        <source>Internal error: %1</source>
        <translation>Internal error: %1</translation>
    </message>
    <message>
        <source>The download from %1 failed: %2</source>
        <translation>The download from %1 failed: %2</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>Queued</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Running</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Paused</translation>
    </message>
    <message>
        <source>Joining</source>
        <translation>Joining</translation>
    </message>
    <message>
        <source>Verifying</source>
        <translation>Verifying</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Succeeded</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>Interrupted (resumable)</source>
        <translation>Interrupted (resumable)</translation>
    </message>
    <message>
        <source>%1× (%2 → %3 fps)</source>
        <translation>%1× (%2 → %3 fps)</translation>
    </message>
    <message>
        <source>%1× (e.g. 30 → %2 fps)</source>
        <translation>%1× (e.g. 30 → %2 fps)</translation>
    </message>
    <message>
        <source>Write a new file, e.g. "clip_2x (2).mp4"</source>
        <translation>Write a new file, e.g. "clip_2x (2).mp4"</translation>
    </message>
    <message>
        <source>Replace the existing file</source>
        <translation>Replace the existing file</translation>
    </message>
    <message>
        <source>fp32 (exact)</source>
        <translation>fp32 (exact)</translation>
    </message>
    <message>
        <source>tf32 (faster matrix products)</source>
        <translation>tf32 (faster matrix products)</translation>
    </message>
    <message>
        <source>fp16 (about twice as fast, half the memory)</source>
        <translation>fp16 (about twice as fast, half the memory)</translation>
    </message>
    <message>
        <source>tf32, fp16 and bf16 need a CUDA device</source>
        <translation>tf32, fp16 and bf16 need a CUDA device</translation>
    </message>
    <message>
        <source>Denoising steps of the diffusion model per generated frame. The authors use 10; the time per frame grows in proportion to the steps.</source>
        <translation>Denoising steps of the diffusion model per generated frame. The authors use 10; the time per frame grows in proportion to the steps.</translation>
    </message>
    <message>
        <source>Size at which motion is estimated, relative to the frame. 0.5 is the default; the authors use 0.25 for very large motion and 1.0 for small, fast details (much more memory at 4K).</source>
        <translation>Size at which motion is estimated, relative to the frame. 0.5 is the default; the authors use 0.25 for very large motion and 1.0 for small, fast details (much more memory at 4K).</translation>
    </message>
    <message>
        <source>How different two frames must be to count as a scene cut (0 to 1; Off disables it). At a cut no frames are invented between the two shots: the earlier frame is repeated. Lower values find more cuts.</source>
        <translation>How different two frames must be to count as a scene cut (0 to 1; Off disables it). At a cut no frames are invented between the two shots: the earlier frame is repeated. Lower values find more cuts.</translation>
    </message>
    <message>
        <source>Source frames per chunk file (automatic: about 2 s of video). Finished chunks survive a pause, a crash or a restart; shorter chunks lose less work, longer ones add less overhead.</source>
        <translation>Source frames per chunk file (automatic: about 2 s of video). Finished chunks survive a pause, a crash or a restart; shorter chunks lose less work, longer ones add less overhead.</translation>
    </message>
    <message>
        <source>Large frames are processed in exact tiles to stay within this budget; the result does not change. Lower it when 4K frames do not fit.</source>
        <translation>Large frames are processed in exact tiles to stay within this budget; the result does not change. Lower it when 4K frames do not fit.</translation>
    </message>
    <message>
        <source>disk full (%1 free)</source>
        <translation>disk full (%1 free)</translation>
    </message>
    <message>
        <source>disk full (%1 free, %2 needed)</source>
        <translation>disk full (%1 free, %2 needed)</translation>
    </message>
    <message>
        <source>The disk holding %1 is full (%2 free). The job is paused and can be resumed.</source>
        <translation>The disk holding %1 is full (%2 free). The job is paused and can be resumed.</translation>
    </message>
</context>
<context>
    <name>vfi::ui::DeviceCatalog</name>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>GPU %1</source>
        <translation>GPU %1</translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>%1 – %2, %3</source>
        <translation>%1 – %2, %3</translation>
    </message>
    <message>
        <source>%1 – %2, %3 RAM</source>
        <translation>%1 – %2, %3 RAM</translation>
    </message>
    <message>
        <source>%1 (not found on this machine)</source>
        <translation>%1 (not found on this machine)</translation>
    </message>
</context>
<context>
    <name>vfi::ui::DeviceList</name>
    <message>
        <source>The devices this job renders on, one chunk at a time each. Several GPUs share one job; the output is the same on any of them.</source>
        <translation>The devices this job renders on, one chunk at a time each. Several GPUs share one job; the output is the same on any of them.</translation>
    </message>
</context>
<context>
    <name>vfi::ui::EncodeOptionsEditor</name>
    <message>
        <source>H.264 (x264)</source>
        <translation>H.264 (x264)</translation>
    </message>
    <message>
        <source>HEVC (x265)</source>
        <translation>HEVC (x265)</translation>
    </message>
    <message>
        <source>H.264 (NVIDIA NVENC, GPU)</source>
        <translation>H.264 (NVIDIA NVENC, GPU)</translation>
    </message>
    <message>
        <source>HEVC (NVIDIA NVENC, GPU)</source>
        <translation>HEVC (NVIDIA NVENC, GPU)</translation>
    </message>
    <message>
        <source>FFV1 (lossless, .mkv)</source>
        <translation>FFV1 (lossless, .mkv)</translation>
    </message>
    <message>
        <source>ProRes (.mov)</source>
        <translation>ProRes (.mov)</translation>
    </message>
    <message>
        <source>4:2:0, 8-bit (yuv420p)</source>
        <translation>4:2:0, 8-bit (yuv420p)</translation>
    </message>
    <message>
        <source>4:2:2, 8-bit (yuv422p)</source>
        <translation>4:2:2, 8-bit (yuv422p)</translation>
    </message>
    <message>
        <source>4:4:4, 8-bit (yuv444p)</source>
        <translation>4:4:4, 8-bit (yuv444p)</translation>
    </message>
    <message>
        <source>4:2:0, 10-bit (%1)</source>
        <translation>4:2:0, 10-bit (%1)</translation>
    </message>
    <message>
        <source>4:2:2, 10-bit (yuv422p10le)</source>
        <translation>4:2:2, 10-bit (yuv422p10le)</translation>
    </message>
    <message>
        <source>4:4:4, 10-bit (yuv444p10le)</source>
        <translation>4:4:4, 10-bit (yuv444p10le)</translation>
    </message>
    <message>
        <source>RGB, 10-bit (gbrp10le)</source>
        <translation>RGB, 10-bit (gbrp10le)</translation>
    </message>
    <message>
        <source>Greyscale (%1)</source>
        <translation>Greyscale (%1)</translation>
    </message>
    <message>
        <source>Lossless (no quality setting)</source>
        <translation>Lossless (no quality setting)</translation>
    </message>
    <message>
        <source>Encoder default: %1</source>
        <translation>Encoder default: %1</translation>
    </message>
    <message>
        <source>Profile %1: %2</source>
        <translation>Profile %1: %2</translation>
    </message>
    <message>
        <source>larger files</source>
        <translation>larger files</translation>
    </message>
    <message>
        <source>visually lossless</source>
        <translation>visually lossless</translation>
    </message>
    <message>
        <source>smaller files</source>
        <translation>smaller files</translation>
    </message>
    <message>
        <source>small files, visible loss</source>
        <translation>small files, visible loss</translation>
    </message>
    <message>
        <source>FFV1 is lossless: every frame is kept exactly.</source>
        <translation>FFV1 is lossless: every frame is kept exactly.</translation>
    </message>
    <message>
        <source>ProRes profile: Proxy (0) to 4444 XQ (5); 422 HQ (3) is the usual master.</source>
        <translation>ProRes profile: Proxy (0) to 4444 XQ (5); 422 HQ (3) is the usual master.</translation>
    </message>
    <message>
        <source>%1 %2 to %3: lower keeps more detail and makes larger files. %4 is visually lossless; about %5 is where losses start to show.</source>
        <translation>%1 %2 to %3: lower keeps more detail and makes larger files. %4 is visually lossless; about %5 is where losses start to show.</translation>
    </message>
    <message>
        <source>Automatic (x264, x265 for 10-bit)</source>
        <translation>Automatic (x264, x265 for 10-bit)</translation>
    </message>
    <message>
        <source>Hardware encoders are listed when this machine can open them.</source>
        <translation>Hardware encoders are listed when this machine can open them.</translation>
    </message>
    <message>
        <source>Slower presets make smaller files at the same quality; the frames look the same.</source>
        <translation>Slower presets make smaller files at the same quality; the frames look the same.</translation>
    </message>
    <message>
        <source>Encoder</source>
        <translation>Encoder</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Quality</translation>
    </message>
    <message>
        <source>Encoder speed</source>
        <translation>Encoder speed</translation>
    </message>
    <message>
        <source>Pixel format</source>
        <translation>Pixel format</translation>
    </message>
    <message>
        <source>Encoder default (%1)</source>
        <translation>Encoder default (%1)</translation>
    </message>
    <message>
        <source>%1 (fastest, largest files)</source>
        <translation>%1 (fastest, largest files)</translation>
    </message>
    <message>
        <source>%1 (slowest, smallest files)</source>
        <translation>%1 (slowest, smallest files)</translation>
    </message>
    <message>
        <source>None for this encoder</source>
        <translation>None for this encoder</translation>
    </message>
    <message>
        <source>Automatic (from the source)</source>
        <translation>Automatic (from the source)</translation>
    </message>
    <message>
        <source>%1 (not available here)</source>
        <translation>%1 (not available here)</translation>
    </message>
</context>
<context>
    <name>vfi::ui::FirstRunDialog</name>
    <message>
        <source>Model checkpoint needed</source>
        <translation>Model checkpoint needed</translation>
    </message>
    <message>
        <source>Choose vimeo_unet.pth…</source>
        <translation>Choose vimeo_unet.pth…</translation>
    </message>
    <message>
        <source>Use blend preview (not AI)</source>
        <translation>Use blend preview (not AI)</translation>
    </message>
    <message>
        <source>Choose the TLB-VFI checkpoint</source>
        <translation>Choose the TLB-VFI checkpoint</translation>
    </message>
    <message>
        <source>PyTorch checkpoints (*.pth *.pt *.ckpt);;All files (*)</source>
        <translation>PyTorch checkpoints (*.pth *.pt *.ckpt);;All files (*)</translation>
    </message>
    <message>
        <source>&lt;p&gt;TLBVFI Studio generates the in-between frames with the TLB-VFI diffusion model. Its trained weights are the file &lt;b&gt;vimeo_unet.pth&lt;/b&gt; (about 3.6 GB), published by the authors on Hugging Face in the repository &lt;b&gt;ucfzl/TLBVFI&lt;/b&gt; (&lt;a href="https://huggingface.co/ucfzl/TLBVFI"&gt;huggingface.co/ucfzl/TLBVFI&lt;/a&gt;).&lt;/p&gt;&lt;p&gt;Download it here (it is stored in your user data folder and checked before it is used), or choose a copy you already have. You can change it later in the settings.&lt;/p&gt;&lt;p&gt;Without the model you can still try the app with the &lt;b&gt;blend preview mode&lt;/b&gt;: it averages neighbouring frames. It is fast but it is &lt;b&gt;not AI interpolation&lt;/b&gt; and moving objects will look doubled.&lt;/p&gt;</source>
        <translation>&lt;p&gt;TLBVFI Studio generates the in-between frames with the TLB-VFI diffusion model. Its trained weights are the file &lt;b&gt;vimeo_unet.pth&lt;/b&gt; (about 3.6 GB), published by the authors on Hugging Face in the repository &lt;b&gt;ucfzl/TLBVFI&lt;/b&gt; (&lt;a href="https://huggingface.co/ucfzl/TLBVFI"&gt;huggingface.co/ucfzl/TLBVFI&lt;/a&gt;).&lt;/p&gt;&lt;p&gt;Download it here (it is stored in your user data folder and checked before it is used), or choose a copy you already have. You can change it later in the settings.&lt;/p&gt;&lt;p&gt;Without the model you can still try the app with the &lt;b&gt;blend preview mode&lt;/b&gt;: it averages neighbouring frames. It is fast but it is &lt;b&gt;not AI interpolation&lt;/b&gt; and moving objects will look doubled.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Download the TLB-VFI weights (vimeo_unet.pth) from Hugging Face (ucfzl/TLBVFI)</source>
        <translation>Download the TLB-VFI weights (vimeo_unet.pth) from Hugging Face (ucfzl/TLBVFI)</translation>
    </message>
</context>
<context>
    <name>vfi::ui::FrameRateChooser</name>
    <message>
        <source>Multiply by</source>
        <translation>Multiply by</translation>
    </message>
    <message>
        <source>Target rate</source>
        <translation>Target rate</translation>
    </message>
    <message>
        <source>e.g. 60, 59.94 or 60000/1001</source>
        <translation>e.g. 60, 59.94 or 60000/1001</translation>
    </message>
    <message>
        <source>Frames per second of the output, e.g. 23.976 → 60. The model makes midpoints: the smallest 2×, 4× or 8× that reaches the rate is rendered, only the frames shown are generated, and each output frame shows the nearest one (at most half a step of that grid off: 5.2 ms for 23.976 → 60).</source>
        <translation>Frames per second of the output, e.g. 23.976 → 60. The model makes midpoints: the smallest 2×, 4× or 8× that reaches the rate is rendered, only the frames shown are generated, and each output frame shows the nearest one (at most half a step of that grid off: 5.2 ms for 23.976 → 60).</translation>
    </message>
    <message>
        <source>Not a frame rate: write e.g. 60, 59.94 or 60000/1001.</source>
        <translation>Not a frame rate: write e.g. 60, 59.94 or 60000/1001.</translation>
    </message>
    <message>
        <source>Must be above the source's %1 fps and at most 8× it (%2 fps).</source>
        <translation>Must be above the source's %1 fps and at most 8× it (%2 fps).</translation>
    </message>
    <message>
        <source>%1 → %2 fps (%3× the source)</source>
        <translation>%1 → %2 fps (%3× the source)</translation>
    </message>
</context>
<context>
    <name>vfi::ui::JobSettingsDialog</name>
    <message>
        <source>Job settings</source>
        <translation>Job settings</translation>
    </message>
    <message>
        <source>TLB-VFI (AI model)</source>
        <translation>TLB-VFI (AI model)</translation>
    </message>
    <message>
        <source>Blend preview (not AI)</source>
        <translation>Blend preview (not AI)</translation>
    </message>
    <message>
        <source>Automatic (about 2 s)</source>
        <translation>Automatic (about 2 s)</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Off</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>Interpolation</source>
        <translation>Interpolation</translation>
    </message>
    <message>
        <source>Output file</source>
        <translation>Output file</translation>
    </message>
    <message>
        <source>Chunk length</source>
        <translation>Chunk length</translation>
    </message>
    <message>
        <source>Scene-cut threshold</source>
        <translation>Scene-cut threshold</translation>
    </message>
    <message>
        <source>Video (*.mp4 *.mkv *.mov)</source>
        <translation>Video (*.mp4 *.mkv *.mov)</translation>
    </message>
    <message>
        <source>If the output exists</source>
        <translation>If the output exists</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Devices</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>Preset</translation>
    </message>
    <message>
        <source>Frame rate</source>
        <translation>Frame rate</translation>
    </message>
    <message>
        <source>The target frame rate must be above the source's rate and at most 8× it.</source>
        <translation>The target frame rate must be above the source's rate and at most 8× it.</translation>
    </message>
</context>
<context>
    <name>vfi::ui::LogPanel</name>
    <message>
        <source>Select a job to see its log.</source>
        <translation>Select a job to see its log.</translation>
    </message>
    <message>
        <source>No messages yet: the log fills in when the job runs.</source>
        <translation>No messages yet: the log fills in when the job runs.</translation>
    </message>
</context>
<context>
    <name>vfi::ui::MainWindow</name>
    <message>
        <source>TLBVFI Studio</source>
        <translation>TLBVFI Studio</translation>
    </message>
    <message>
        <source>Blend preview mode (not AI)</source>
        <translation>Blend preview mode (not AI)</translation>
    </message>
    <message>
        <source>TLB-VFI model</source>
        <translation>TLB-VFI model</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>&amp;Add files…</source>
        <translation>&amp;Add files…</translation>
    </message>
    <message>
        <source>Add &amp;folder…</source>
        <translation>Add &amp;folder…</translation>
    </message>
    <message>
        <source>&amp;Interpolate</source>
        <translation>&amp;Interpolate</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pause</translation>
    </message>
    <message>
        <source>Pause and free &amp;GPU memory</source>
        <translation>Pause and free &amp;GPU memory</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Resume</translation>
    </message>
    <message>
        <source>&amp;Cancel job…</source>
        <translation>&amp;Cancel job…</translation>
    </message>
    <message>
        <source>Pause queue</source>
        <translation>Pause queue</translation>
    </message>
    <message>
        <source>Resume queue</source>
        <translation>Resume queue</translation>
    </message>
    <message>
        <source>Cancel all…</source>
        <translation>Cancel all…</translation>
    </message>
    <message>
        <source>Re&amp;try</source>
        <translation>Re&amp;try</translation>
    </message>
    <message>
        <source>Re&amp;move from queue</source>
        <translation>Re&amp;move from queue</translation>
    </message>
    <message>
        <source>Move &amp;up</source>
        <translation>Move &amp;up</translation>
    </message>
    <message>
        <source>Move &amp;down</source>
        <translation>Move &amp;down</translation>
    </message>
    <message>
        <source>Open &amp;output folder</source>
        <translation>Open &amp;output folder</translation>
    </message>
    <message>
        <source>Job &amp;settings…</source>
        <translation>Job &amp;settings…</translation>
    </message>
    <message>
        <source>P&amp;lay output</source>
        <translation>P&amp;lay output</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Settings…</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>&amp;Queue</source>
        <translation>&amp;Queue</translation>
    </message>
    <message>
        <source>&amp;Job</source>
        <translation>&amp;Job</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Main</translation>
    </message>
    <message>
        <source>Before / after</source>
        <translation>Before / after</translation>
    </message>
    <message>
        <source>Playback</source>
        <translation>Playback</translation>
    </message>
    <message>
        <source>Meters</source>
        <translation>Meters</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Log</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) added</source>
        <translation><numerusform>%n file added</numerusform><numerusform>%n files added</numerusform></translation>
    </message>
    <message>
        <source>Add videos</source>
        <translation>Add videos</translation>
    </message>
    <message>
        <source>Videos (%1);;All files (*)</source>
        <translation>Videos (%1);;All files (*)</translation>
    </message>
    <message>
        <source>Add a folder of videos</source>
        <translation>Add a folder of videos</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>The language changes the next time TLBVFI Studio starts.</source>
        <translation>The language changes the next time TLBVFI Studio starts.</translation>
    </message>
    <message>
        <source>Cancel all jobs</source>
        <translation>Cancel all jobs</translation>
    </message>
    <message>
        <source>Cancel job</source>
        <translation>Cancel job</translation>
    </message>
    <message>
        <source>Cancel every job in the queue?</source>
        <translation>Cancel every job in the queue?</translation>
    </message>
    <message>
        <source>Cancel %1?</source>
        <translation>Cancel %1?</translation>
    </message>
    <message>
        <source>The render is paused while you decide.</source>
        <translation>The render is paused while you decide.</translation>
    </message>
    <message>
        <source>Finished chunks can be kept, so that Retry continues where the render stopped.</source>
        <translation>Finished chunks can be kept, so that Retry continues where the render stopped.</translation>
    </message>
    <message>
        <source>Cancel and keep chunks</source>
        <translation>Cancel and keep chunks</translation>
    </message>
    <message>
        <source>Cancel and delete chunks</source>
        <translation>Cancel and delete chunks</translation>
    </message>
    <message>
        <source>Keep rendering</source>
        <translation>Keep rendering</translation>
    </message>
    <message>
        <source>Don't cancel</source>
        <translation>Don't cancel</translation>
    </message>
    <message>
        <source>%1 finished before it could be cancelled; its output was kept.</source>
        <translation>%1 finished before it could be cancelled; its output was kept.</translation>
    </message>
    <message numerus="yes">
        <source>%n already in the queue</source>
        <translation><numerusform>%n already in the queue</numerusform><numerusform>%n already in the queue</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n skipped as the output of a source beside it</source>
        <translation><numerusform>%n skipped as the output of a source beside it</numerusform><numerusform>%n skipped as the output of a source beside it</numerusform></translation>
    </message>
    <message>
        <source>Skipped: %1</source>
        <translation>Skipped: %1</translation>
    </message>
    <message>
        <source>Remove &amp;finished</source>
        <translation>Remove &amp;finished</translation>
    </message>
    <message numerus="yes">
        <source>%n finished row(s) removed</source>
        <translation><numerusform>%n finished row removed</numerusform><numerusform>%n finished rows removed</numerusform></translation>
    </message>
    <message>
        <source>No model chosen yet (Interpolate asks)</source>
        <translation>No model chosen yet (Interpolate asks)</translation>
    </message>
    <message>
        <source>Open &amp;session folder…</source>
        <translation>Open &amp;session folder…</translation>
    </message>
    <message>
        <source>Open a session folder (*.tlbvfi)</source>
        <translation>Open a session folder (*.tlbvfi)</translation>
    </message>
    <message>
        <source>Open session folder</source>
        <translation>Open session folder</translation>
    </message>
    <message>
        <source>%1 is not a session folder: it has no session.json. A session folder is the OUTPUT.tlbvfi folder a render writes next to its output.</source>
        <translation>%1 is not a session folder: it has no session.json. A session folder is the OUTPUT.tlbvfi folder a render writes next to its output.</translation>
    </message>
</context>
<context>
    <name>vfi::ui::MetersPanel</name>
    <message>
        <source>Queue</source>
        <translation>Queue</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Job</translation>
    </message>
    <message>
        <source>Frames</source>
        <translation>Frames</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Speed</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Time left</translation>
    </message>
    <message>
        <source>GPU memory</source>
        <translation>GPU memory</translation>
    </message>
    <message>
        <source>Process RAM</source>
        <translation>Process RAM</translation>
    </message>
    <message>
        <source>Session on disk</source>
        <translation>Session on disk</translation>
    </message>
    <message>
        <source>Projected size</source>
        <translation>Projected size</translation>
    </message>
    <message>
        <source>Free space</source>
        <translation>Free space</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>n/a</translation>
    </message>
    <message>
        <source>%1 KiB</source>
        <translation>%1 KiB</translation>
    </message>
    <message>
        <source>%1 MiB</source>
        <translation>%1 MiB</translation>
    </message>
    <message>
        <source>%1 GiB</source>
        <translation>%1 GiB</translation>
    </message>
    <message>
        <source>%1 of %2 frames</source>
        <translation>%1 of %2 frames</translation>
    </message>
    <message>
        <source>–</source>
        <translation>–</translation>
    </message>
    <message>
        <source>%1 fps now, %2 fps average</source>
        <translation>%1 fps now, %2 fps average</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 of %2</translation>
    </message>
    <message>
        <source>Low disk space: the job pauses below %1 GiB free.</source>
        <translation>Low disk space: the job pauses below %1 GiB free.</translation>
    </message>
    <message>
        <source>The projected output is larger than the free space.</source>
        <translation>The projected output is larger than the free space.</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Devices</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1: %2 of %3, %4 fps</source>
        <translation>%1: %2 of %3, %4 fps</translation>
    </message>
    <message>
        <source>%1: %2 fps</source>
        <translation>%1: %2 fps</translation>
    </message>
    <message>
        <source> – failed</source>
        <translation> – failed</translation>
    </message>
    <message>
        <source>%1 / %2 output frames (chunks finished: %5 / %6, with %3 / %4 source frames)</source>
        <translation>%1 / %2 output frames (chunks finished: %5 / %6, with %3 / %4 source frames)</translation>
    </message>
</context>
<context>
    <name>vfi::ui::ModelDownloadDialog</name>
    <message>
        <source>%1 GiB</source>
        <translation>%1 GiB</translation>
    </message>
    <message>
        <source>%1 MiB</source>
        <translation>%1 MiB</translation>
    </message>
    <message>
        <source>%1 KiB</source>
        <translation>%1 KiB</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>about %1 s left</source>
        <translation>about %1 s left</translation>
    </message>
    <message>
        <source>about %1 min left</source>
        <translation>about %1 min left</translation>
    </message>
    <message>
        <source>about %1 h %2 min left</source>
        <translation>about %1 h %2 min left</translation>
    </message>
    <message>
        <source>Downloading the TLB-VFI model</source>
        <translation>Downloading the TLB-VFI model</translation>
    </message>
    <message>
        <source>%1 from %2
into %3</source>
        <translation>%1 from %2
into %3</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Try again</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Connecting… (attempt %1 of %2)</source>
        <translation>Connecting… (attempt %1 of %2)</translation>
    </message>
    <message>
        <source>Continuing from %1 already downloaded.</source>
        <translation>Continuing from %1 already downloaded.</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 of %2</translation>
    </message>
    <message>
        <source>%1 (size not known yet)</source>
        <translation>%1 (size not known yet)</translation>
    </message>
    <message>
        <source>%1. Trying again in %2 s (attempt %3 of %4).</source>
        <translation>%1. Trying again in %2 s (attempt %3 of %4).</translation>
    </message>
    <message>
        <source>Computing the SHA-256 of the file… %1 of %2</source>
        <translation>Computing the SHA-256 of the file… %1 of %2</translation>
    </message>
    <message>
        <source>Checking that the file loads as the TLB-VFI model…</source>
        <translation>Checking that the file loads as the TLB-VFI model…</translation>
    </message>
    <message>
        <source>The download did not finish.</source>
        <translation>The download did not finish.</translation>
    </message>
    <message>
        <source>The model was already downloaded; nothing was fetched.</source>
        <translation>The model was already downloaded; nothing was fetched.</translation>
    </message>
    <message>
        <source>Downloaded and checked: %1.</source>
        <translation>Downloaded and checked: %1.</translation>
    </message>
    <message>
        <source>Installed: %1
SHA-256: %2</source>
        <translation>Installed: %1
SHA-256: %2</translation>
    </message>
    <message>
        <source>The SHA-256 differs from the one remembered from an earlier download (%1): the published weights have changed, or one of the two files is not the official one.</source>
        <translation>The SHA-256 differs from the one remembered from an earlier download (%1): the published weights have changed, or one of the two files is not the official one.</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>the connection ended at %1 of %2</source>
        <translation>the connection ended at %1 of %2</translation>
    </message>
    <message>
        <source>the server answered HTTP %1</source>
        <translation>the server answered HTTP %1</translation>
    </message>
    <message>
        <source>the server answered HTTP %1 (not found): check the URL</source>
        <translation>the server answered HTTP %1 (not found): check the URL</translation>
    </message>
    <message>
        <source>the server sent a web page (%1) instead of the model file: the URL is probably a page, not the file itself</source>
        <translation>the server sent a web page (%1) instead of the model file: the URL is probably a page, not the file itself</translation>
    </message>
    <message>
        <source>%1; gave up after %2 attempts in a row without progress</source>
        <translation>%1; gave up after %2 attempts in a row without progress</translation>
    </message>
    <message>
        <source>%1 are kept in %2; the next download continues from there</source>
        <translation>%1 are kept in %2; the next download continues from there</translation>
    </message>
</context>
<context>
    <name>vfi::ui::PlayerPanel</name>
    <message>
        <source>Play</source>
        <translation>Play</translation>
    </message>
    <message>
        <source>Source beside it</source>
        <translation>Source beside it</translation>
    </message>
    <message>
        <source>−1 frame</source>
        <translation>−1 frame</translation>
    </message>
    <message>
        <source>+1 frame</source>
        <translation>+1 frame</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Output</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
</context>
<context>
    <name>vfi::ui::PresetChooser</name>
    <message>
        <source>H.264, visually lossless</source>
        <translation>H.264, visually lossless</translation>
    </message>
    <message>
        <source>4K HEVC 10-bit</source>
        <translation>4K HEVC 10-bit</translation>
    </message>
    <message>
        <source>Lossless FFV1</source>
        <translation>Lossless FFV1</translation>
    </message>
    <message>
        <source>ProRes 422 HQ (editing)</source>
        <translation>ProRes 422 HQ (editing)</translation>
    </message>
    <message>
        <source>HEVC 10-bit on the GPU (NVENC)</source>
        <translation>HEVC 10-bit on the GPU (NVENC)</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>Save as…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Saved output settings: encoder, quality, speed and pixel format.</source>
        <translation>Saved output settings: encoder, quality, speed and pixel format.</translation>
    </message>
    <message>
        <source>Delete this saved preset</source>
        <translation>Delete this saved preset</translation>
    </message>
    <message>
        <source>Save preset</source>
        <translation>Save preset</translation>
    </message>
    <message>
        <source>Name of the preset:</source>
        <translation>Name of the preset:</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Custom</translation>
    </message>
    <message>
        <source>%1 (saved)</source>
        <translation>%1 (saved)</translation>
    </message>
</context>
<context>
    <name>vfi::ui::PreviewPanel</name>
    <message>
        <source>Live</source>
        <translation>Live</translation>
    </message>
    <message>
        <source>Split view</source>
        <translation>Split view</translation>
    </message>
    <message>
        <source>Side by side</source>
        <translation>Side by side</translation>
    </message>
    <message>
        <source>A/B flip</source>
        <translation>A/B flip</translation>
    </message>
    <message>
        <source>Flip A/B</source>
        <translation>Flip A/B</translation>
    </message>
    <message>
        <source>1:1</source>
        <translation>1:1</translation>
    </message>
    <message>
        <source>Show pixels at actual size; drag to pan</source>
        <translation>Show pixels at actual size; drag to pan</translation>
    </message>
    <message>
        <source>Previous frame</source>
        <translation>Previous frame</translation>
    </message>
    <message>
        <source>Next frame</source>
        <translation>Next frame</translation>
    </message>
    <message>
        <source>Reload chunks</source>
        <translation>Reload chunks</translation>
    </message>
    <message>
        <source>Show frames from the running render</source>
        <translation>Show frames from the running render</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>no finished chunks</source>
        <translation>no finished chunks</translation>
    </message>
    <message>
        <source>live: frame %1</source>
        <translation>live: frame %1</translation>
    </message>
</context>
<context>
    <name>vfi::ui::PreviewView</name>
    <message>
        <source>No preview yet</source>
        <translation>No preview yet</translation>
    </message>
    <message>
        <source>Before (source)</source>
        <translation>Before (source)</translation>
    </message>
    <message>
        <source>After (interpolated)</source>
        <translation>After (interpolated)</translation>
    </message>
</context>
<context>
    <name>vfi::ui::QueueController</name>
    <message>
        <source>Starting attempt %1: %2 → %3</source>
        <translation>Starting attempt %1: %2 → %3</translation>
    </message>
    <message>
        <source>Free disk space is below %1 GiB; the job was paused.</source>
        <translation>Free disk space is below %1 GiB; the job was paused.</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>Warning: %1</translation>
    </message>
    <message>
        <source>Finished: %1 (%2 frames)</source>
        <translation>Finished: %1 (%2 frames)</translation>
    </message>
    <message>
        <source>Paused; the session can be resumed.</source>
        <translation>Paused; the session can be resumed.</translation>
    </message>
    <message>
        <source>Cancelled; the session folder was deleted.</source>
        <translation>Cancelled; the session folder was deleted.</translation>
    </message>
    <message>
        <source>Cancelled; the finished chunks were kept for a later retry.</source>
        <translation>Cancelled; the finished chunks were kept for a later retry.</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Error: %1</translation>
    </message>
    <message>
        <source>waiting for the running job</source>
        <translation>waiting for the running job</translation>
    </message>
    <message>
        <source>Retry: attempt %1 queued.</source>
        <translation>Retry: attempt %1 queued.</translation>
    </message>
    <message>
        <source>%1 of %2 chunks on disk</source>
        <translation>%1 of %2 chunks on disk</translation>
    </message>
    <message>
        <source>no session on disk yet</source>
        <translation>no session on disk yet</translation>
    </message>
    <message>
        <source>%1 exists; this job writes %2 instead.</source>
        <translation>%1 exists; this job writes %2 instead.</translation>
    </message>
    <message>
        <source>Cancelled before it started.</source>
        <translation>Cancelled before it started.</translation>
    </message>
</context>
<context>
    <name>vfi::ui::QueueModel</name>
    <message>
        <source>Output: %1</source>
        <translation>Output: %1</translation>
    </message>
    <message>
        <source>Blend preview mode (not AI interpolation)</source>
        <translation>Blend preview mode (not AI interpolation)</translation>
    </message>
    <message>
        <source> (attempt %1)</source>
        <translation> (attempt %1)</translation>
    </message>
    <message>
        <source>File</source>
        <translation>File</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Resolution</translation>
    </message>
    <message>
        <source>Frames</source>
        <translation>Frames</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>ETA</source>
        <translation>ETA</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>pausing…</source>
        <translation>pausing…</translation>
    </message>
    <message>
        <source>pausing and freeing GPU memory…</source>
        <translation>pausing and freeing GPU memory…</translation>
    </message>
    <message>
        <source>cancelling…</source>
        <translation>cancelling…</translation>
    </message>
    <message>
        <source>Frame rate: source → output</source>
        <translation>Frame rate: source → output</translation>
    </message>
    <message>
        <source>FPS</source>
        <translation>FPS</translation>
    </message>
    <message>
        <source>Devices: %1</source>
        <translation>Devices: %1</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Device</translation>
    </message>
</context>
<context>
    <name>vfi::ui::SessionStatusDialog</name>
    <message>
        <source>Session %1</source>
        <translation>Session %1</translation>
    </message>
    <message>
        <source>Chunks</source>
        <translation>Chunks</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>Missing</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Rate</translation>
    </message>
    <message>
        <source>Range locks (renders working on this session)</source>
        <translation>Range locks (renders working on this session)</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>Process</source>
        <translation>Process</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Devices</translation>
    </message>
    <message>
        <source>Heartbeat</source>
        <translation>Heartbeat</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Slurm jobs</source>
        <translation>Slurm jobs</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Job</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <source>This folder cannot be read as a session: %1</source>
        <translation>This folder cannot be read as a session: %1</translation>
    </message>
    <message>
        <source>%1 of %2 chunks done, %3 of %4 output frames</source>
        <translation>%1 of %2 chunks done, %3 of %4 output frames</translation>
    </message>
    <message>
        <source>Complete: every chunk is rendered and the session can be joined.</source>
        <translation>Complete: every chunk is rendered and the session can be joined.</translation>
    </message>
    <message>
        <source>chunks %1–%2 (source frames %3–%4)</source>
        <translation>chunks %1–%2 (source frames %3–%4)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <source>%1 output frames/s</source>
        <translation>%1 output frames/s</translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation>about %1 left</translation>
    </message>
    <message>
        <source>not known yet (fewer than two chunks finished within an hour)</source>
        <translation>not known yet (fewer than two chunks finished within an hour)</translation>
    </message>
    <message>
        <source>Nothing is rendering this session now.</source>
        <translation>Nothing is rendering this session now.</translation>
    </message>
    <message>
        <source>%1 s ago</source>
        <translation>%1 s ago</translation>
    </message>
    <message>
        <source>live</source>
        <translation>live</translation>
    </message>
    <message>
        <source>stale</source>
        <translation>stale</translation>
    </message>
    <message>
        <source>render array</source>
        <translation>render array</translation>
    </message>
    <message>
        <source>join</source>
        <translation>join</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unknown</translation>
    </message>
</context>
<context>
    <name>vfi::ui::SettingsDialog</name>
    <message>
        <source>Use the blend preview mode (not AI)</source>
        <translation>Use the blend preview mode (not AI)</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Next to the source file</source>
        <translation>Next to the source file</translation>
    </message>
    <message>
        <source>Automatic (about 2 s)</source>
        <translation>Automatic (about 2 s)</translation>
    </message>
    <message>
        <source> source frames</source>
        <translation> source frames</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Off</translation>
    </message>
    <message>
        <source> GiB</source>
        <translation> GiB</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>System language</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>Model checkpoint (vimeo_unet.pth)</source>
        <translation>Model checkpoint (vimeo_unet.pth)</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>Precision</translation>
    </message>
    <message>
        <source>Sample steps</source>
        <translation>Sample steps</translation>
    </message>
    <message>
        <source>Flow scale</source>
        <translation>Flow scale</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>Output folder</translation>
    </message>
    <message>
        <source>File name pattern</source>
        <translation>File name pattern</translation>
    </message>
    <message>
        <source>Chunk length</source>
        <translation>Chunk length</translation>
    </message>
    <message>
        <source>Scene-cut threshold</source>
        <translation>Scene-cut threshold</translation>
    </message>
    <message>
        <source>Pause below free space</source>
        <translation>Pause below free space</translation>
    </message>
    <message>
        <source>Memory budget</source>
        <translation>Memory budget</translation>
    </message>
    <message>
        <source>Automatic (free memory)</source>
        <translation>Automatic (free memory)</translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <source>Language (after restart)</source>
        <translation>Language (after restart)</translation>
    </message>
    <message>
        <source>Choose the TLB-VFI checkpoint</source>
        <translation>Choose the TLB-VFI checkpoint</translation>
    </message>
    <message>
        <source>PyTorch checkpoints (*.pth *.pt *.ckpt);;All files (*)</source>
        <translation>PyTorch checkpoints (*.pth *.pt *.ckpt);;All files (*)</translation>
    </message>
    <message>
        <source>Checkpoint looks valid.</source>
        <translation>Checkpoint looks valid.</translation>
    </message>
    <message>
        <source>Quick (packets and first frame)</source>
        <translation>Quick (packets and first frame)</translation>
    </message>
    <message>
        <source>Full (decode every frame)</source>
        <translation>Full (decode every frame)</translation>
    </message>
    <message>
        <source>How each finished chunk and the joined video are checked. Full decodes every frame again and takes longer.</source>
        <translation>How each finished chunk and the joined video are checked. Full decodes every frame again and takes longer.</translation>
    </message>
    <message>
        <source>Verification</source>
        <translation>Verification</translation>
    </message>
    <message>
        <source>If the output exists</source>
        <translation>If the output exists</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Output</translation>
    </message>
    <message>
        <source>Processing</source>
        <translation>Processing</translation>
    </message>
    <message>
        <source>General</source>
        <translation>General</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Devices</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>Preset</translation>
    </message>
    <message>
        <source>Frame rate</source>
        <translation>Frame rate</translation>
    </message>
    <message>
        <source>The target frame rate is not a frame rate: write e.g. 60, 59.94 or 60000/1001.</source>
        <translation>The target frame rate is not a frame rate: write e.g. 60, 59.94 or 60000/1001.</translation>
    </message>
    <message>
        <source>{name}: source name without extension, {factor}: 2/4/8, {rate}: output frame rate, {ext}: container. With a target rate, "{factor}x" reads "{rate}fps".</source>
        <translation>{name}: source name without extension, {factor}: 2/4/8, {rate}: output frame rate, {ext}: container. With a target rate, "{factor}x" reads "{rate}fps".</translation>
    </message>
    <message>
        <source>Download the TLB-VFI weights (vimeo_unet.pth) from Hugging Face (ucfzl/TLBVFI)</source>
        <translation>Download the TLB-VFI weights (vimeo_unet.pth) from Hugging Face (ucfzl/TLBVFI)</translation>
    </message>
    <message>
        <source>Where the download button fetches vimeo_unet.pth (empty: the authors' Hugging Face repository). The file is stored in your user data folder and used only after it loads as the model.</source>
        <translation>Where the download button fetches vimeo_unet.pth (empty: the authors' Hugging Face repository). The file is stored in your user data folder and used only after it loads as the model.</translation>
    </message>
    <message>
        <source>Download from</source>
        <translation>Download from</translation>
    </message>
    <message>
        <source>This differs from the SHA-256 remembered from an earlier download (%1).</source>
        <translation>This differs from the SHA-256 remembered from an earlier download (%1).</translation>
    </message>
    <message>
        <source>Downloaded from %1 (%2). SHA-256:</source>
        <translation>Downloaded from %1 (%2). SHA-256:</translation>
    </message>
</context>
</TS>
