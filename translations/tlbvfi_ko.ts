<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name>main</name>
    <message>
        <source>Raise the frame rate of videos with TLB-VFI.</source>
        <translation>TLB-VFI로 동영상의 프레임 레이트를 높입니다.</translation>
    </message>
    <message>
        <source>Save screenshots into &lt;dir&gt; and quit.</source>
        <translation>&lt;dir&gt;에 스크린샷을 저장하고 종료합니다.</translation>
    </message>
    <message>
        <source>Language for this run (en, ko).</source>
        <translation>이번 실행의 언어 (en, ko).</translation>
    </message>
    <message>
        <source>Videos or folders to add to the queue.</source>
        <translation>대기열에 추가할 동영상 또는 폴더.</translation>
    </message>
    <message>
        <source>Start interpolating the queue (queued and interrupted jobs) at launch.</source>
        <translation>시작할 때 대기열 보간을 시작합니다(대기 중이거나 중단된 작업).</translation>
    </message>
</context>
<context>
    <name>vfi::ui</name>
    <message>
        <source>No checkpoint file chosen.</source>
        <translation>체크포인트 파일을 선택하지 않았습니다.</translation>
    </message>
    <message>
        <source>The file %1 does not exist.</source>
        <translation>%1 파일이 없습니다.</translation>
    </message>
    <message>
        <source>The file %1 cannot be read.</source>
        <translation>%1 파일을 읽을 수 없습니다.</translation>
    </message>
    <message>
        <source>%1 is not a PyTorch checkpoint (expected a .pth zip archive).</source>
        <translation>%1은(는) PyTorch 체크포인트가 아닙니다(.pth zip 압축 파일이어야 합니다).</translation>
    </message>
    <message>
        <source>Invalid value "%2" for %1.</source>
        <translation>%1의 값 "%2"이(가) 올바르지 않습니다.</translation>
    </message>
    <message>
        <source>The file %1 was not found.</source>
        <translation>%1 파일을 찾을 수 없습니다.</translation>
    </message>
    <message>
        <source>%1 is not a video file that can be read (%2).</source>
        <translation>%1은(는) 읽을 수 있는 동영상 파일이 아닙니다(%2).</translation>
    </message>
    <message>
        <source>%1 has no video stream.</source>
        <translation>%1에 비디오 스트림이 없습니다.</translation>
    </message>
    <message>
        <source>%1 is truncated or damaged (%2).</source>
        <translation>%1이(가) 잘렸거나 손상되었습니다(%2).</translation>
    </message>
    <message>
        <source>The codec %1 is not supported.</source>
        <translation>%1 코덱은 지원되지 않습니다.</translation>
    </message>
    <message>
        <source>The encoder %1 cannot write pixel format %2 into a %3 file.</source>
        <translation>%1 인코더는 %2 픽셀 형식을 %3 파일에 쓸 수 없습니다.</translation>
    </message>
    <message>
        <source>The output file would overwrite the source %1.</source>
        <translation>출력 파일이 원본 %1을(를) 덮어쓰게 됩니다.</translation>
    </message>
    <message>
        <source>Cannot write to %1 (%2).</source>
        <translation>%1에 쓸 수 없습니다(%2).</translation>
    </message>
    <message>
        <source>The output file %1 already exists.</source>
        <translation>출력 파일 %1이(가) 이미 있습니다.</translation>
    </message>
    <message>
        <source>Not enough free space at %1: %2 needed, %3 free. The job is paused and can be resumed.</source>
        <translation>%1의 공간이 부족합니다: %2 필요, %3 남음. 작업이 일시 정지되었으며 재개할 수 있습니다.</translation>
    </message>
    <message>
        <source>The model checkpoint %1 was not found. Choose vimeo_unet.pth in the settings.</source>
        <translation>모델 체크포인트 %1을(를) 찾을 수 없습니다. 설정에서 vimeo_unet.pth를 선택하세요.</translation>
    </message>
    <message>
        <source>The model checkpoint %1 cannot be used (%2).</source>
        <translation>모델 체크포인트 %1을(를) 사용할 수 없습니다(%2).</translation>
    </message>
    <message>
        <source>The model failed: %1</source>
        <translation>모델 오류: %1</translation>
    </message>
    <message>
        <source>The device %1 is not available (%2).</source>
        <translation>%1 장치를 사용할 수 없습니다(%2).</translation>
    </message>
    <message>
        <source>The saved session does not match this job (%1 changed). Delete the session folder or restore the original settings.</source>
        <translation>저장된 세션이 이 작업과 맞지 않습니다(%1 변경됨). 세션 폴더를 삭제하거나 원래 설정으로 되돌리세요.</translation>
    </message>
    <message>
        <source>The session is incomplete; missing chunks: %1.</source>
        <translation>세션이 완전하지 않습니다. 빠진 청크: %1.</translation>
    </message>
    <message>
        <source>The session is in use by another process (host %1, process %2).</source>
        <translation>다른 프로세스가 세션을 사용 중입니다(호스트 %1, 프로세스 %2).</translation>
    </message>
    <message>
        <source>The chunk %1 is invalid (%2).</source>
        <translation>청크 %1이(가) 올바르지 않습니다(%2).</translation>
    </message>
    <message>
        <source>Verification of %1 failed (%2).</source>
        <translation>%1 검증에 실패했습니다(%2).</translation>
    </message>
    <message>
        <source>The encoder %1 is not available (%2).</source>
        <translation>%1 인코더를 사용할 수 없습니다(%2).</translation>
    </message>
    <message>
        <source>FFmpeg error during %1: %2</source>
        <translation>%1 중 FFmpeg 오류: %2</translation>
    </message>
    <message>
        <source>File error on %1: %2</source>
        <translation>%1 파일 오류: %2</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>취소되었습니다.</translation>
    </message>
    <message>
        <source>Paused.</source>
        <translation>일시 정지되었습니다.</translation>
    </message>
    <message>
        <source>Internal error: %1</source>
        <translation>내부 오류: %1</translation>
    </message>
    <message>
        <source>The download from %1 failed: %2</source>
        <translation>%1에서 내려받지 못했습니다: %2</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>대기 중</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>실행 중</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>일시 정지됨</translation>
    </message>
    <message>
        <source>Joining</source>
        <translation>합치는 중</translation>
    </message>
    <message>
        <source>Verifying</source>
        <translation>검증 중</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>취소됨</translation>
    </message>
    <message>
        <source>Interrupted (resumable)</source>
        <translation>중단됨(재개 가능)</translation>
    </message>
    <message>
        <source>%1× (%2 → %3 fps)</source>
        <translation>%1× (%2 → %3 fps)</translation>
    </message>
    <message>
        <source>%1× (e.g. 30 → %2 fps)</source>
        <translation>%1× (예: 30 → %2 fps)</translation>
    </message>
    <message>
        <source>Write a new file, e.g. "clip_2x (2).mp4"</source>
        <translation>새 파일로 쓰기(예: "clip_2x (2).mp4")</translation>
    </message>
    <message>
        <source>Replace the existing file</source>
        <translation>기존 파일 바꾸기</translation>
    </message>
    <message>
        <source>fp32 (exact)</source>
        <translation>fp32 (정확)</translation>
    </message>
    <message>
        <source>tf32 (faster matrix products)</source>
        <translation>tf32 (더 빠른 행렬 곱)</translation>
    </message>
    <message>
        <source>fp16 (about twice as fast, half the memory)</source>
        <translation>fp16 (약 두 배 빠르고 메모리 절반)</translation>
    </message>
    <message>
        <source>tf32, fp16 and bf16 need a CUDA device</source>
        <translation>tf32, fp16, bf16은 CUDA 장치가 필요합니다</translation>
    </message>
    <message>
        <source>Denoising steps of the diffusion model per generated frame. The authors use 10; the time per frame grows in proportion to the steps.</source>
        <translation>생성하는 프레임마다 확산 모델이 거치는 노이즈 제거 단계 수입니다. 저자들은 10을 사용하며, 프레임당 시간은 단계 수에 비례해 늘어납니다.</translation>
    </message>
    <message>
        <source>Size at which motion is estimated, relative to the frame. 0.5 is the default; the authors use 0.25 for very large motion and 1.0 for small, fast details (much more memory at 4K).</source>
        <translation>움직임을 추정하는 크기(프레임 대비)입니다. 기본값은 0.5이며, 저자들은 아주 큰 움직임에 0.25, 작고 빠른 디테일에 1.0을 사용합니다(4K에서는 메모리가 훨씬 많이 듭니다).</translation>
    </message>
    <message>
        <source>How different two frames must be to count as a scene cut (0 to 1; Off disables it). At a cut no frames are invented between the two shots: the earlier frame is repeated. Lower values find more cuts.</source>
        <translation>두 프레임이 얼마나 달라야 장면 전환으로 볼지 정합니다(0~1, 끔은 사용 안 함). 장면 전환에서는 두 장면 사이에 프레임을 만들지 않고 앞 프레임을 반복합니다. 값이 낮을수록 더 많이 찾습니다.</translation>
    </message>
    <message>
        <source>Source frames per chunk file (automatic: about 2 s of video). Finished chunks survive a pause, a crash or a restart; shorter chunks lose less work, longer ones add less overhead.</source>
        <translation>청크 파일 하나에 들어가는 원본 프레임 수입니다(자동: 영상 약 2초). 완성된 청크는 일시 정지, 충돌, 재시작 후에도 남습니다. 짧으면 잃는 작업이 적고, 길면 부가 비용이 적습니다.</translation>
    </message>
    <message>
        <source>Large frames are processed in exact tiles to stay within this budget; the result does not change. Lower it when 4K frames do not fit.</source>
        <translation>큰 프레임은 이 예산 안에서 정확한 타일로 나누어 처리하며, 결과는 달라지지 않습니다. 4K 프레임이 메모리에 들어가지 않으면 낮추세요.</translation>
    </message>
    <message>
        <source>disk full (%1 free)</source>
        <translation>디스크 가득 참(%1 남음)</translation>
    </message>
    <message>
        <source>disk full (%1 free, %2 needed)</source>
        <translation>디스크 가득 참(%1 남음, %2 필요)</translation>
    </message>
    <message>
        <source>The disk holding %1 is full (%2 free). The job is paused and can be resumed.</source>
        <translation>%1이(가) 있는 디스크가 가득 찼습니다(%2 남음). 작업이 일시 정지되었으며 재개할 수 있습니다.</translation>
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
        <translation>%1 – %2, RAM %3</translation>
    </message>
    <message>
        <source>%1 (not found on this machine)</source>
        <translation>%1 (이 컴퓨터에 없음)</translation>
    </message>
</context>
<context>
    <name>vfi::ui::DeviceList</name>
    <message>
        <source>The devices this job renders on, one chunk at a time each. Several GPUs share one job; the output is the same on any of them.</source>
        <translation>이 작업을 렌더링할 장치입니다. 장치마다 한 번에 청크 하나씩 처리합니다. 여러 GPU가 한 작업을 나누어 맡으며, 어느 장치에서든 결과는 같습니다.</translation>
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
        <translation>FFV1 (무손실, .mkv)</translation>
    </message>
    <message>
        <source>ProRes (.mov)</source>
        <translation>ProRes (.mov)</translation>
    </message>
    <message>
        <source>4:2:0, 8-bit (yuv420p)</source>
        <translation>4:2:0, 8비트 (yuv420p)</translation>
    </message>
    <message>
        <source>4:2:2, 8-bit (yuv422p)</source>
        <translation>4:2:2, 8비트 (yuv422p)</translation>
    </message>
    <message>
        <source>4:4:4, 8-bit (yuv444p)</source>
        <translation>4:4:4, 8비트 (yuv444p)</translation>
    </message>
    <message>
        <source>4:2:0, 10-bit (%1)</source>
        <translation>4:2:0, 10비트 (%1)</translation>
    </message>
    <message>
        <source>4:2:2, 10-bit (yuv422p10le)</source>
        <translation>4:2:2, 10비트 (yuv422p10le)</translation>
    </message>
    <message>
        <source>4:4:4, 10-bit (yuv444p10le)</source>
        <translation>4:4:4, 10비트 (yuv444p10le)</translation>
    </message>
    <message>
        <source>RGB, 10-bit (gbrp10le)</source>
        <translation>RGB, 10비트 (gbrp10le)</translation>
    </message>
    <message>
        <source>Greyscale (%1)</source>
        <translation>흑백 (%1)</translation>
    </message>
    <message>
        <source>Lossless (no quality setting)</source>
        <translation>무손실(품질 설정 없음)</translation>
    </message>
    <message>
        <source>Encoder default: %1</source>
        <translation>인코더 기본값: %1</translation>
    </message>
    <message>
        <source>Profile %1: %2</source>
        <translation>프로파일 %1: %2</translation>
    </message>
    <message>
        <source>larger files</source>
        <translation>더 큰 파일</translation>
    </message>
    <message>
        <source>visually lossless</source>
        <translation>눈으로 보기에 무손실</translation>
    </message>
    <message>
        <source>smaller files</source>
        <translation>더 작은 파일</translation>
    </message>
    <message>
        <source>small files, visible loss</source>
        <translation>작은 파일, 눈에 띄는 손실</translation>
    </message>
    <message>
        <source>FFV1 is lossless: every frame is kept exactly.</source>
        <translation>FFV1은 무손실입니다. 모든 프레임이 그대로 보존됩니다.</translation>
    </message>
    <message>
        <source>ProRes profile: Proxy (0) to 4444 XQ (5); 422 HQ (3) is the usual master.</source>
        <translation>ProRes 프로파일: Proxy(0)부터 4444 XQ(5)까지. 마스터에는 보통 422 HQ(3)를 씁니다.</translation>
    </message>
    <message>
        <source>%1 %2 to %3: lower keeps more detail and makes larger files. %4 is visually lossless; about %5 is where losses start to show.</source>
        <translation>%1 %2~%3: 낮을수록 디테일이 더 살고 파일이 커집니다. %4는 눈으로 보기에 무손실이고, %5 정도부터 손실이 보이기 시작합니다.</translation>
    </message>
    <message>
        <source>Automatic (x264, x265 for 10-bit)</source>
        <translation>자동(x264, 10비트는 x265)</translation>
    </message>
    <message>
        <source>Hardware encoders are listed when this machine can open them.</source>
        <translation>하드웨어 인코더는 이 컴퓨터에서 열 수 있을 때만 표시됩니다.</translation>
    </message>
    <message>
        <source>Slower presets make smaller files at the same quality; the frames look the same.</source>
        <translation>느린 프리셋일수록 같은 품질에서 파일이 작아지며, 화면은 같아 보입니다.</translation>
    </message>
    <message>
        <source>Encoder</source>
        <translation>인코더</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>품질</translation>
    </message>
    <message>
        <source>Encoder speed</source>
        <translation>인코더 속도</translation>
    </message>
    <message>
        <source>Pixel format</source>
        <translation>픽셀 형식</translation>
    </message>
    <message>
        <source>Encoder default (%1)</source>
        <translation>인코더 기본값 (%1)</translation>
    </message>
    <message>
        <source>%1 (fastest, largest files)</source>
        <translation>%1 (가장 빠름, 가장 큰 파일)</translation>
    </message>
    <message>
        <source>%1 (slowest, smallest files)</source>
        <translation>%1 (가장 느림, 가장 작은 파일)</translation>
    </message>
    <message>
        <source>None for this encoder</source>
        <translation>이 인코더에는 없음</translation>
    </message>
    <message>
        <source>Automatic (from the source)</source>
        <translation>자동(원본 기준)</translation>
    </message>
    <message>
        <source>%1 (not available here)</source>
        <translation>%1 (이 컴퓨터에서 사용할 수 없음)</translation>
    </message>
</context>
<context>
    <name>vfi::ui::FirstRunDialog</name>
    <message>
        <source>Model checkpoint needed</source>
        <translation>모델 체크포인트가 필요합니다</translation>
    </message>
    <message>
        <source>Choose vimeo_unet.pth…</source>
        <translation>vimeo_unet.pth 선택…</translation>
    </message>
    <message>
        <source>Use blend preview (not AI)</source>
        <translation>블렌드 미리보기 사용(AI 아님)</translation>
    </message>
    <message>
        <source>Choose the TLB-VFI checkpoint</source>
        <translation>TLB-VFI 체크포인트 선택</translation>
    </message>
    <message>
        <source>PyTorch checkpoints (*.pth *.pt *.ckpt);;All files (*)</source>
        <translation>PyTorch 체크포인트 (*.pth *.pt *.ckpt);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>&lt;p&gt;TLBVFI Studio generates the in-between frames with the TLB-VFI diffusion model. Its trained weights are the file &lt;b&gt;vimeo_unet.pth&lt;/b&gt; (about 3.6 GB), published by the authors on Hugging Face in the repository &lt;b&gt;ucfzl/TLBVFI&lt;/b&gt; (&lt;a href="https://huggingface.co/ucfzl/TLBVFI"&gt;huggingface.co/ucfzl/TLBVFI&lt;/a&gt;).&lt;/p&gt;&lt;p&gt;Download it here (it is stored in your user data folder and checked before it is used), or choose a copy you already have. You can change it later in the settings.&lt;/p&gt;&lt;p&gt;Without the model you can still try the app with the &lt;b&gt;blend preview mode&lt;/b&gt;: it averages neighbouring frames. It is fast but it is &lt;b&gt;not AI interpolation&lt;/b&gt; and moving objects will look doubled.&lt;/p&gt;</source>
        <translation>&lt;p&gt;TLBVFI Studio는 TLB-VFI 확산 모델로 중간 프레임을 생성합니다. 학습된 가중치는 &lt;b&gt;vimeo_unet.pth&lt;/b&gt; 파일(약 3.6 GB)이며, 저자들이 Hugging Face의 &lt;b&gt;ucfzl/TLBVFI&lt;/b&gt; 저장소(&lt;a href="https://huggingface.co/ucfzl/TLBVFI"&gt;huggingface.co/ucfzl/TLBVFI&lt;/a&gt;)에 공개했습니다.&lt;/p&gt;&lt;p&gt;여기에서 내려받거나(사용자 데이터 폴더에 저장되며, 사용하기 전에 검사합니다) 이미 가지고 있는 파일을 선택하세요. 나중에 설정에서 바꿀 수 있습니다.&lt;/p&gt;&lt;p&gt;모델이 없어도 &lt;b&gt;블렌드 미리보기 모드&lt;/b&gt;로 앱을 사용해 볼 수 있습니다. 인접한 프레임을 평균하므로 빠르지만 &lt;b&gt;AI 보간이 아니며&lt;/b&gt; 움직이는 물체가 겹쳐 보입니다.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Download the TLB-VFI weights (vimeo_unet.pth) from Hugging Face (ucfzl/TLBVFI)</source>
        <translation>Hugging Face(ucfzl/TLBVFI)에서 TLB-VFI 가중치(vimeo_unet.pth) 내려받기</translation>
    </message>
</context>
<context>
    <name>vfi::ui::FrameRateChooser</name>
    <message>
        <source>Multiply by</source>
        <translation>배수</translation>
    </message>
    <message>
        <source>Target rate</source>
        <translation>목표 프레임 레이트</translation>
    </message>
    <message>
        <source>e.g. 60, 59.94 or 60000/1001</source>
        <translation>예: 60, 59.94, 60000/1001</translation>
    </message>
    <message>
        <source>Frames per second of the output, e.g. 23.976 → 60. The model makes midpoints: the smallest 2×, 4× or 8× that reaches the rate is rendered, only the frames shown are generated, and each output frame shows the nearest one (at most half a step of that grid off: 5.2 ms for 23.976 → 60).</source>
        <translation>출력의 초당 프레임 수입니다(예: 23.976 → 60). 모델은 중간 프레임을 만들므로, 목표에 닿는 가장 작은 2×, 4×, 8×로 렌더링하되 실제로 보이는 프레임만 생성하고, 각 출력 프레임에는 가장 가까운 프레임을 보여 줍니다(그 격자의 반 칸 이내: 23.976 → 60에서 5.2 ms).</translation>
    </message>
    <message>
        <source>Not a frame rate: write e.g. 60, 59.94 or 60000/1001.</source>
        <translation>프레임 레이트가 아닙니다. 예: 60, 59.94, 60000/1001.</translation>
    </message>
    <message>
        <source>Must be above the source's %1 fps and at most 8× it (%2 fps).</source>
        <translation>원본의 %1 fps보다 크고 그 8배(%2 fps) 이하여야 합니다.</translation>
    </message>
    <message>
        <source>%1 → %2 fps (%3× the source)</source>
        <translation>%1 → %2 fps (원본의 %3×)</translation>
    </message>
</context>
<context>
    <name>vfi::ui::JobSettingsDialog</name>
    <message>
        <source>Job settings</source>
        <translation>작업 설정</translation>
    </message>
    <message>
        <source>TLB-VFI (AI model)</source>
        <translation>TLB-VFI (AI 모델)</translation>
    </message>
    <message>
        <source>Blend preview (not AI)</source>
        <translation>블렌드 미리보기(AI 아님)</translation>
    </message>
    <message>
        <source>Automatic (about 2 s)</source>
        <translation>자동(약 2초)</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>끔</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>선택…</translation>
    </message>
    <message>
        <source>Interpolation</source>
        <translation>보간 방식</translation>
    </message>
    <message>
        <source>Output file</source>
        <translation>출력 파일</translation>
    </message>
    <message>
        <source>Chunk length</source>
        <translation>청크 길이</translation>
    </message>
    <message>
        <source>Scene-cut threshold</source>
        <translation>장면 전환 임계값</translation>
    </message>
    <message>
        <source>Video (*.mp4 *.mkv *.mov)</source>
        <translation>동영상 (*.mp4 *.mkv *.mov)</translation>
    </message>
    <message>
        <source>If the output exists</source>
        <translation>출력 파일이 이미 있으면</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>장치</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>프리셋</translation>
    </message>
    <message>
        <source>Frame rate</source>
        <translation>프레임 레이트</translation>
    </message>
    <message>
        <source>The target frame rate must be above the source's rate and at most 8× it.</source>
        <translation>목표 프레임 레이트는 원본보다 크고 그 8배 이하여야 합니다.</translation>
    </message>
</context>
<context>
    <name>vfi::ui::LogPanel</name>
    <message>
        <source>Select a job to see its log.</source>
        <translation>작업을 선택하면 로그가 표시됩니다.</translation>
    </message>
    <message>
        <source>No messages yet: the log fills in when the job runs.</source>
        <translation>아직 메시지가 없습니다. 작업이 실행되면 로그가 채워집니다.</translation>
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
        <translation>블렌드 미리보기 모드(AI 아님)</translation>
    </message>
    <message>
        <source>TLB-VFI model</source>
        <translation>TLB-VFI 모델</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>&amp;Add files…</source>
        <translation>파일 추가(&amp;A)…</translation>
    </message>
    <message>
        <source>Add &amp;folder…</source>
        <translation>폴더 추가(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Interpolate</source>
        <translation>보간 시작(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>일시 정지(&amp;P)</translation>
    </message>
    <message>
        <source>Pause and free &amp;GPU memory</source>
        <translation>일시 정지 후 GPU 메모리 해제(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>재개(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Cancel job…</source>
        <translation>작업 취소(&amp;C)…</translation>
    </message>
    <message>
        <source>Pause queue</source>
        <translation>대기열 일시 정지</translation>
    </message>
    <message>
        <source>Resume queue</source>
        <translation>대기열 재개</translation>
    </message>
    <message>
        <source>Cancel all…</source>
        <translation>모두 취소…</translation>
    </message>
    <message>
        <source>Re&amp;try</source>
        <translation>다시 시도(&amp;T)</translation>
    </message>
    <message>
        <source>Re&amp;move from queue</source>
        <translation>대기열에서 제거(&amp;M)</translation>
    </message>
    <message>
        <source>Move &amp;up</source>
        <translation>위로 이동(&amp;U)</translation>
    </message>
    <message>
        <source>Move &amp;down</source>
        <translation>아래로 이동(&amp;D)</translation>
    </message>
    <message>
        <source>Open &amp;output folder</source>
        <translation>출력 폴더 열기(&amp;O)</translation>
    </message>
    <message>
        <source>Job &amp;settings…</source>
        <translation>작업 설정(&amp;S)…</translation>
    </message>
    <message>
        <source>P&amp;lay output</source>
        <translation>결과 재생(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>설정(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>종료(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Queue</source>
        <translation>대기열(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Job</source>
        <translation>작업(&amp;J)</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>기본</translation>
    </message>
    <message>
        <source>Before / after</source>
        <translation>전 / 후</translation>
    </message>
    <message>
        <source>Playback</source>
        <translation>재생</translation>
    </message>
    <message>
        <source>Meters</source>
        <translation>측정값</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>로그</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) added</source>
        <translation><numerusform>파일 %n개를 추가했습니다</numerusform></translation>
    </message>
    <message>
        <source>Add videos</source>
        <translation>동영상 추가</translation>
    </message>
    <message>
        <source>Videos (%1);;All files (*)</source>
        <translation>동영상 (%1);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Add a folder of videos</source>
        <translation>동영상 폴더 추가</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>언어</translation>
    </message>
    <message>
        <source>The language changes the next time TLBVFI Studio starts.</source>
        <translation>언어는 TLBVFI Studio를 다음에 시작할 때 바뀝니다.</translation>
    </message>
    <message>
        <source>Cancel all jobs</source>
        <translation>모든 작업 취소</translation>
    </message>
    <message>
        <source>Cancel job</source>
        <translation>작업 취소</translation>
    </message>
    <message>
        <source>Cancel every job in the queue?</source>
        <translation>대기열의 모든 작업을 취소할까요?</translation>
    </message>
    <message>
        <source>Cancel %1?</source>
        <translation>%1을(를) 취소할까요?</translation>
    </message>
    <message>
        <source>The render is paused while you decide.</source>
        <translation>결정하는 동안 렌더링은 일시 정지됩니다.</translation>
    </message>
    <message>
        <source>Finished chunks can be kept, so that Retry continues where the render stopped.</source>
        <translation>완성된 청크를 남겨 두면 다시 시도할 때 렌더링이 멈춘 곳에서 이어집니다.</translation>
    </message>
    <message>
        <source>Cancel and keep chunks</source>
        <translation>취소하고 청크 유지</translation>
    </message>
    <message>
        <source>Cancel and delete chunks</source>
        <translation>취소하고 청크 삭제</translation>
    </message>
    <message>
        <source>Keep rendering</source>
        <translation>계속 렌더링</translation>
    </message>
    <message>
        <source>Don't cancel</source>
        <translation>취소하지 않음</translation>
    </message>
    <message>
        <source>%1 finished before it could be cancelled; its output was kept.</source>
        <translation>%1은(는) 취소되기 전에 완료되어 결과가 유지되었습니다.</translation>
    </message>
    <message numerus="yes">
        <source>%n already in the queue</source>
        <translation><numerusform>%n개는 이미 대기열에 있습니다</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n skipped as the output of a source beside it</source>
        <translation><numerusform>%n개는 옆에 있는 원본의 출력이라 건너뛰었습니다</numerusform></translation>
    </message>
    <message>
        <source>Skipped: %1</source>
        <translation>건너뜀: %1</translation>
    </message>
    <message>
        <source>Remove &amp;finished</source>
        <translation>완료된 항목 제거(&amp;F)</translation>
    </message>
    <message numerus="yes">
        <source>%n finished row(s) removed</source>
        <translation><numerusform>완료된 항목 %n개를 제거했습니다</numerusform></translation>
    </message>
    <message>
        <source>No model chosen yet (Interpolate asks)</source>
        <translation>아직 모델을 선택하지 않음(보간 시작 시 묻습니다)</translation>
    </message>
    <message>
        <source>Open &amp;session folder…</source>
        <translation>세션 폴더 열기(&amp;S)…</translation>
    </message>
    <message>
        <source>Open a session folder (*.tlbvfi)</source>
        <translation>세션 폴더 열기 (*.tlbvfi)</translation>
    </message>
    <message>
        <source>Open session folder</source>
        <translation>세션 폴더 열기</translation>
    </message>
    <message>
        <source>%1 is not a session folder: it has no session.json. A session folder is the OUTPUT.tlbvfi folder a render writes next to its output.</source>
        <translation>%1은(는) 세션 폴더가 아닙니다. session.json이 없습니다. 세션 폴더는 렌더링이 출력 파일 옆에 만드는 OUTPUT.tlbvfi 폴더입니다.</translation>
    </message>
</context>
<context>
    <name>vfi::ui::MetersPanel</name>
    <message>
        <source>Queue</source>
        <translation>대기열</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>작업</translation>
    </message>
    <message>
        <source>Frames</source>
        <translation>프레임</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>속도</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>남은 시간</translation>
    </message>
    <message>
        <source>GPU memory</source>
        <translation>GPU 메모리</translation>
    </message>
    <message>
        <source>Process RAM</source>
        <translation>프로세스 RAM</translation>
    </message>
    <message>
        <source>Session on disk</source>
        <translation>디스크의 세션</translation>
    </message>
    <message>
        <source>Projected size</source>
        <translation>예상 크기</translation>
    </message>
    <message>
        <source>Free space</source>
        <translation>남은 공간</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>해당 없음</translation>
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
        <translation>%2 프레임 중 %1</translation>
    </message>
    <message>
        <source>–</source>
        <translation>–</translation>
    </message>
    <message>
        <source>%1 fps now, %2 fps average</source>
        <translation>현재 %1 fps, 평균 %2 fps</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%2 중 %1</translation>
    </message>
    <message>
        <source>Low disk space: the job pauses below %1 GiB free.</source>
        <translation>디스크 공간 부족: 남은 공간이 %1 GiB 미만이면 작업이 일시 정지됩니다.</translation>
    </message>
    <message>
        <source>The projected output is larger than the free space.</source>
        <translation>예상 출력 크기가 남은 공간보다 큽니다.</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>장치</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1: %2 of %3, %4 fps</source>
        <translation>%1: %2 / %3, %4 fps</translation>
    </message>
    <message>
        <source>%1: %2 fps</source>
        <translation>%1: %2 fps</translation>
    </message>
    <message>
        <source> – failed</source>
        <translation> – 실패</translation>
    </message>
    <message>
        <source>%1 / %2 output frames (chunks finished: %5 / %6, with %3 / %4 source frames)</source>
        <translation>출력 프레임 %1 / %2 (완료된 청크 %5 / %6, 원본 프레임 %3 / %4)</translation>
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
        <translation>약 %1초 남음</translation>
    </message>
    <message>
        <source>about %1 min left</source>
        <translation>약 %1분 남음</translation>
    </message>
    <message>
        <source>about %1 h %2 min left</source>
        <translation>약 %1시간 %2분 남음</translation>
    </message>
    <message>
        <source>Downloading the TLB-VFI model</source>
        <translation>TLB-VFI 모델 내려받기</translation>
    </message>
    <message>
        <source>%1 from %2
into %3</source>
        <translation>%1 (%2에서)
저장 위치: %3</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>다시 시도</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>연결하는 중…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Connecting… (attempt %1 of %2)</source>
        <translation>연결하는 중… (%2번 중 %1번째 시도)</translation>
    </message>
    <message>
        <source>Continuing from %1 already downloaded.</source>
        <translation>이미 내려받은 %1에서 이어 받습니다.</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%2 중 %1</translation>
    </message>
    <message>
        <source>%1 (size not known yet)</source>
        <translation>%1 (전체 크기는 아직 모름)</translation>
    </message>
    <message>
        <source>%1. Trying again in %2 s (attempt %3 of %4).</source>
        <translation>%1. %2초 후 다시 시도합니다(%4번 중 %3번째 시도).</translation>
    </message>
    <message>
        <source>Computing the SHA-256 of the file… %1 of %2</source>
        <translation>파일의 SHA-256을 계산하는 중… %2 중 %1</translation>
    </message>
    <message>
        <source>Checking that the file loads as the TLB-VFI model…</source>
        <translation>파일이 TLB-VFI 모델로 불러와지는지 확인하는 중…</translation>
    </message>
    <message>
        <source>The download did not finish.</source>
        <translation>내려받기가 끝나지 않았습니다.</translation>
    </message>
    <message>
        <source>The model was already downloaded; nothing was fetched.</source>
        <translation>모델이 이미 내려받아져 있어 새로 가져오지 않았습니다.</translation>
    </message>
    <message>
        <source>Downloaded and checked: %1.</source>
        <translation>내려받고 확인했습니다: %1.</translation>
    </message>
    <message>
        <source>Installed: %1
SHA-256: %2</source>
        <translation>설치됨: %1
SHA-256: %2</translation>
    </message>
    <message>
        <source>The SHA-256 differs from the one remembered from an earlier download (%1): the published weights have changed, or one of the two files is not the official one.</source>
        <translation>SHA-256이 이전에 내려받을 때 기억해 둔 값(%1)과 다릅니다. 공개된 가중치가 바뀌었거나 두 파일 중 하나가 공식 파일이 아닙니다.</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>취소하는 중…</translation>
    </message>
    <message>
        <source>the connection ended at %1 of %2</source>
        <translation>%2 중 %1에서 연결이 끊겼습니다</translation>
    </message>
    <message>
        <source>the server answered HTTP %1</source>
        <translation>서버가 HTTP %1(으)로 응답했습니다</translation>
    </message>
    <message>
        <source>the server answered HTTP %1 (not found): check the URL</source>
        <translation>서버가 HTTP %1(찾을 수 없음)(으)로 응답했습니다. 주소를 확인하세요</translation>
    </message>
    <message>
        <source>the server sent a web page (%1) instead of the model file: the URL is probably a page, not the file itself</source>
        <translation>서버가 모델 파일 대신 웹 페이지(%1)를 보냈습니다. 주소가 파일 자체가 아니라 웹 페이지를 가리키는 것 같습니다</translation>
    </message>
    <message>
        <source>%1; gave up after %2 attempts in a row without progress</source>
        <translation>%1. 진행 없이 %2번 연속 시도한 뒤 중단했습니다</translation>
    </message>
    <message>
        <source>%1 are kept in %2; the next download continues from there</source>
        <translation>%1은(는) %2에 보관되며, 다음 내려받기가 거기서 이어집니다</translation>
    </message>
</context>
<context>
    <name>vfi::ui::PlayerPanel</name>
    <message>
        <source>Play</source>
        <translation>재생</translation>
    </message>
    <message>
        <source>Source beside it</source>
        <translation>원본 나란히 보기</translation>
    </message>
    <message>
        <source>−1 frame</source>
        <translation>−1 프레임</translation>
    </message>
    <message>
        <source>+1 frame</source>
        <translation>+1 프레임</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>출력</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>원본</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>일시 정지</translation>
    </message>
</context>
<context>
    <name>vfi::ui::PresetChooser</name>
    <message>
        <source>H.264, visually lossless</source>
        <translation>H.264, 눈으로 보기에 무손실</translation>
    </message>
    <message>
        <source>4K HEVC 10-bit</source>
        <translation>4K HEVC 10비트</translation>
    </message>
    <message>
        <source>Lossless FFV1</source>
        <translation>무손실 FFV1</translation>
    </message>
    <message>
        <source>ProRes 422 HQ (editing)</source>
        <translation>ProRes 422 HQ (편집용)</translation>
    </message>
    <message>
        <source>HEVC 10-bit on the GPU (NVENC)</source>
        <translation>GPU의 HEVC 10비트 (NVENC)</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>저장…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>삭제</translation>
    </message>
    <message>
        <source>Saved output settings: encoder, quality, speed and pixel format.</source>
        <translation>저장된 출력 설정: 인코더, 품질, 속도, 픽셀 형식.</translation>
    </message>
    <message>
        <source>Delete this saved preset</source>
        <translation>저장된 이 프리셋 삭제</translation>
    </message>
    <message>
        <source>Save preset</source>
        <translation>프리셋 저장</translation>
    </message>
    <message>
        <source>Name of the preset:</source>
        <translation>프리셋 이름:</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>사용자 지정</translation>
    </message>
    <message>
        <source>%1 (saved)</source>
        <translation>%1 (저장됨)</translation>
    </message>
</context>
<context>
    <name>vfi::ui::PreviewPanel</name>
    <message>
        <source>Live</source>
        <translation>실시간</translation>
    </message>
    <message>
        <source>Split view</source>
        <translation>분할 보기</translation>
    </message>
    <message>
        <source>Side by side</source>
        <translation>나란히 보기</translation>
    </message>
    <message>
        <source>A/B flip</source>
        <translation>A/B 전환</translation>
    </message>
    <message>
        <source>Flip A/B</source>
        <translation>A/B 뒤집기</translation>
    </message>
    <message>
        <source>1:1</source>
        <translation>1:1</translation>
    </message>
    <message>
        <source>Show pixels at actual size; drag to pan</source>
        <translation>실제 크기로 픽셀 표시; 드래그하여 이동</translation>
    </message>
    <message>
        <source>Previous frame</source>
        <translation>이전 프레임</translation>
    </message>
    <message>
        <source>Next frame</source>
        <translation>다음 프레임</translation>
    </message>
    <message>
        <source>Reload chunks</source>
        <translation>청크 다시 읽기</translation>
    </message>
    <message>
        <source>Show frames from the running render</source>
        <translation>진행 중인 렌더링의 프레임 표시</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>no finished chunks</source>
        <translation>완료된 청크 없음</translation>
    </message>
    <message>
        <source>live: frame %1</source>
        <translation>실시간: 프레임 %1</translation>
    </message>
</context>
<context>
    <name>vfi::ui::PreviewView</name>
    <message>
        <source>No preview yet</source>
        <translation>아직 미리보기가 없습니다</translation>
    </message>
    <message>
        <source>Before (source)</source>
        <translation>전 (원본)</translation>
    </message>
    <message>
        <source>After (interpolated)</source>
        <translation>후 (보간됨)</translation>
    </message>
</context>
<context>
    <name>vfi::ui::QueueController</name>
    <message>
        <source>Starting attempt %1: %2 → %3</source>
        <translation>시도 %1 시작: %2 → %3</translation>
    </message>
    <message>
        <source>Free disk space is below %1 GiB; the job was paused.</source>
        <translation>남은 디스크 공간이 %1 GiB 미만이어서 작업을 일시 정지했습니다.</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>경고: %1</translation>
    </message>
    <message>
        <source>Finished: %1 (%2 frames)</source>
        <translation>완료: %1 (%2 프레임)</translation>
    </message>
    <message>
        <source>Paused; the session can be resumed.</source>
        <translation>일시 정지됨; 세션을 재개할 수 있습니다.</translation>
    </message>
    <message>
        <source>Cancelled; the session folder was deleted.</source>
        <translation>취소됨; 세션 폴더를 삭제했습니다.</translation>
    </message>
    <message>
        <source>Cancelled; the finished chunks were kept for a later retry.</source>
        <translation>취소됨; 나중에 다시 시도할 수 있도록 완료된 청크를 보관했습니다.</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>오류: %1</translation>
    </message>
    <message>
        <source>waiting for the running job</source>
        <translation>실행 중인 작업을 기다리는 중</translation>
    </message>
    <message>
        <source>Retry: attempt %1 queued.</source>
        <translation>다시 시도: 시도 %1이(가) 대기열에 추가되었습니다.</translation>
    </message>
    <message>
        <source>%1 of %2 chunks on disk</source>
        <translation>디스크에 청크 %2개 중 %1개</translation>
    </message>
    <message>
        <source>no session on disk yet</source>
        <translation>디스크에 아직 세션 없음</translation>
    </message>
    <message>
        <source>%1 exists; this job writes %2 instead.</source>
        <translation>%1이(가) 이미 있어 이 작업은 대신 %2에 씁니다.</translation>
    </message>
    <message>
        <source>Cancelled before it started.</source>
        <translation>시작하기 전에 취소했습니다.</translation>
    </message>
</context>
<context>
    <name>vfi::ui::QueueModel</name>
    <message>
        <source>Output: %1</source>
        <translation>출력: %1</translation>
    </message>
    <message>
        <source>Blend preview mode (not AI interpolation)</source>
        <translation>블렌드 미리보기 모드(AI 보간 아님)</translation>
    </message>
    <message>
        <source> (attempt %1)</source>
        <translation> (시도 %1)</translation>
    </message>
    <message>
        <source>File</source>
        <translation>파일</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>해상도</translation>
    </message>
    <message>
        <source>Frames</source>
        <translation>프레임</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>진행률</translation>
    </message>
    <message>
        <source>ETA</source>
        <translation>남은 시간</translation>
    </message>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>pausing…</source>
        <translation>일시 정지 중…</translation>
    </message>
    <message>
        <source>pausing and freeing GPU memory…</source>
        <translation>일시 정지하고 GPU 메모리 해제 중…</translation>
    </message>
    <message>
        <source>cancelling…</source>
        <translation>취소 중…</translation>
    </message>
    <message>
        <source>Frame rate: source → output</source>
        <translation>프레임 레이트: 원본 → 출력</translation>
    </message>
    <message>
        <source>FPS</source>
        <translation>FPS</translation>
    </message>
    <message>
        <source>Devices: %1</source>
        <translation>장치: %1</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>장치</translation>
    </message>
</context>
<context>
    <name>vfi::ui::SessionStatusDialog</name>
    <message>
        <source>Session %1</source>
        <translation>세션 %1</translation>
    </message>
    <message>
        <source>Chunks</source>
        <translation>청크</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>남은 청크</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>속도</translation>
    </message>
    <message>
        <source>Range locks (renders working on this session)</source>
        <translation>범위 잠금 (이 세션을 렌더링 중인 작업)</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>호스트</translation>
    </message>
    <message>
        <source>Process</source>
        <translation>프로세스</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>장치</translation>
    </message>
    <message>
        <source>Heartbeat</source>
        <translation>마지막 신호</translation>
    </message>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Slurm jobs</source>
        <translation>Slurm 작업</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>작업</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>종류</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>새로 고침(&amp;R)</translation>
    </message>
    <message>
        <source>This folder cannot be read as a session: %1</source>
        <translation>이 폴더를 세션으로 읽을 수 없습니다: %1</translation>
    </message>
    <message>
        <source>%1 of %2 chunks done, %3 of %4 output frames</source>
        <translation>청크 %2개 중 %1개 완료, 출력 프레임 %4개 중 %3개</translation>
    </message>
    <message>
        <source>Complete: every chunk is rendered and the session can be joined.</source>
        <translation>완료: 모든 청크가 렌더링되어 세션을 합칠 수 있습니다.</translation>
    </message>
    <message>
        <source>chunks %1–%2 (source frames %3–%4)</source>
        <translation>청크 %1–%2 (원본 프레임 %3–%4)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>%1 output frames/s</source>
        <translation>초당 출력 프레임 %1개</translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation>약 %1 남음</translation>
    </message>
    <message>
        <source>not known yet (fewer than two chunks finished within an hour)</source>
        <translation>아직 알 수 없음 (한 시간 안에 끝난 청크가 두 개 미만)</translation>
    </message>
    <message>
        <source>Nothing is rendering this session now.</source>
        <translation>지금 이 세션을 렌더링하는 작업이 없습니다.</translation>
    </message>
    <message>
        <source>%1 s ago</source>
        <translation>%1초 전</translation>
    </message>
    <message>
        <source>live</source>
        <translation>활성</translation>
    </message>
    <message>
        <source>stale</source>
        <translation>만료됨</translation>
    </message>
    <message>
        <source>render array</source>
        <translation>렌더링 배열</translation>
    </message>
    <message>
        <source>join</source>
        <translation>합치기</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>알 수 없음</translation>
    </message>
</context>
<context>
    <name>vfi::ui::SettingsDialog</name>
    <message>
        <source>Use the blend preview mode (not AI)</source>
        <translation>블렌드 미리보기 모드 사용(AI 아님)</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <source>Next to the source file</source>
        <translation>원본 파일과 같은 폴더</translation>
    </message>
    <message>
        <source>Automatic (about 2 s)</source>
        <translation>자동(약 2초)</translation>
    </message>
    <message>
        <source> source frames</source>
        <translation> 원본 프레임</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>끔</translation>
    </message>
    <message>
        <source> GiB</source>
        <translation> GiB</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>시스템 언어</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>선택…</translation>
    </message>
    <message>
        <source>Model checkpoint (vimeo_unet.pth)</source>
        <translation>모델 체크포인트 (vimeo_unet.pth)</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>정밀도</translation>
    </message>
    <message>
        <source>Sample steps</source>
        <translation>샘플링 단계</translation>
    </message>
    <message>
        <source>Flow scale</source>
        <translation>플로우 배율</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>출력 폴더</translation>
    </message>
    <message>
        <source>File name pattern</source>
        <translation>파일 이름 패턴</translation>
    </message>
    <message>
        <source>Chunk length</source>
        <translation>청크 길이</translation>
    </message>
    <message>
        <source>Scene-cut threshold</source>
        <translation>장면 전환 임계값</translation>
    </message>
    <message>
        <source>Pause below free space</source>
        <translation>남은 공간이 이보다 적으면 일시 정지</translation>
    </message>
    <message>
        <source>Memory budget</source>
        <translation>메모리 예산</translation>
    </message>
    <message>
        <source>Automatic (free memory)</source>
        <translation>자동(남은 메모리 기준)</translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <source>Language (after restart)</source>
        <translation>언어(다시 시작 후 적용)</translation>
    </message>
    <message>
        <source>Choose the TLB-VFI checkpoint</source>
        <translation>TLB-VFI 체크포인트 선택</translation>
    </message>
    <message>
        <source>PyTorch checkpoints (*.pth *.pt *.ckpt);;All files (*)</source>
        <translation>PyTorch 체크포인트 (*.pth *.pt *.ckpt);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Checkpoint looks valid.</source>
        <translation>체크포인트가 올바른 것 같습니다.</translation>
    </message>
    <message>
        <source>Quick (packets and first frame)</source>
        <translation>빠르게(패킷과 첫 프레임)</translation>
    </message>
    <message>
        <source>Full (decode every frame)</source>
        <translation>전체(모든 프레임 디코딩)</translation>
    </message>
    <message>
        <source>How each finished chunk and the joined video are checked. Full decodes every frame again and takes longer.</source>
        <translation>완성된 각 청크와 합친 영상을 검사하는 방법입니다. 전체는 모든 프레임을 다시 디코딩하므로 더 오래 걸립니다.</translation>
    </message>
    <message>
        <source>Verification</source>
        <translation>검증</translation>
    </message>
    <message>
        <source>If the output exists</source>
        <translation>출력 파일이 이미 있으면</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>출력</translation>
    </message>
    <message>
        <source>Processing</source>
        <translation>처리</translation>
    </message>
    <message>
        <source>General</source>
        <translation>일반</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>장치</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>프리셋</translation>
    </message>
    <message>
        <source>Frame rate</source>
        <translation>프레임 레이트</translation>
    </message>
    <message>
        <source>The target frame rate is not a frame rate: write e.g. 60, 59.94 or 60000/1001.</source>
        <translation>목표 프레임 레이트가 올바르지 않습니다. 예: 60, 59.94, 60000/1001.</translation>
    </message>
    <message>
        <source>{name}: source name without extension, {factor}: 2/4/8, {rate}: output frame rate, {ext}: container. With a target rate, "{factor}x" reads "{rate}fps".</source>
        <translation>{name}: 확장자를 뺀 원본 이름, {factor}: 2/4/8, {rate}: 출력 프레임 레이트, {ext}: 컨테이너. 목표 프레임 레이트를 쓰면 "{factor}x"는 "{rate}fps"가 됩니다.</translation>
    </message>
    <message>
        <source>Download the TLB-VFI weights (vimeo_unet.pth) from Hugging Face (ucfzl/TLBVFI)</source>
        <translation>Hugging Face(ucfzl/TLBVFI)에서 TLB-VFI 가중치(vimeo_unet.pth) 내려받기</translation>
    </message>
    <message>
        <source>Where the download button fetches vimeo_unet.pth (empty: the authors' Hugging Face repository). The file is stored in your user data folder and used only after it loads as the model.</source>
        <translation>내려받기 버튼이 vimeo_unet.pth를 가져오는 주소입니다(비워 두면 저자들의 Hugging Face 저장소). 파일은 사용자 데이터 폴더에 저장되며, 모델로 불러와지는 것을 확인한 뒤에만 사용합니다.</translation>
    </message>
    <message>
        <source>Download from</source>
        <translation>내려받을 주소</translation>
    </message>
    <message>
        <source>This differs from the SHA-256 remembered from an earlier download (%1).</source>
        <translation>이전에 내려받을 때 기억해 둔 SHA-256(%1)과 다릅니다.</translation>
    </message>
    <message>
        <source>Downloaded from %1 (%2). SHA-256:</source>
        <translation>내려받은 곳: %1 (%2). SHA-256:</translation>
    </message>
</context>
</TS>
