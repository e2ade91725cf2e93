#!/usr/bin/env python3
"""Side-by-side benchmark: the official TLB-VFI (PyTorch, ZonglinL/TLBVFI) against our LibTorch port
(bench_model), same GPU, same run, same random weights, same steps, same input frames.

Developer tool for GPU machines; the product never needs Python. It imports the official code from a
checkout given with --official (never copied into this project), builds the official configuration
with seeded random weights, saves them in the layout of vimeo_unet.pth ({step, model, epoch, ema}) so
that bench_model --checkpoint loads exactly the same weights, then for each size and precision times
model.sample() and runs bench_model, and prints one table with the ratio official ms / ours ms.

  python3 official_side_by_side.py --official DIR --bench BUILD/bench/model/bench_model --work DIR \
      [--sizes 1080x1920,2160x3840] [--precisions fp32,tf32,fp16,bf16] [--steps 10] [--pairs 3]
      [--port-variant "NAME=BENCH_MODEL OPTIONS"]... [--device cuda:0|cpu]

Each --port-variant is one more row per size and precision: the port with those bench_model options
(e.g. "cache 8, batch 2=--cache 8 --batch 2"); none: the port with its defaults. --device cpu is the
dry run of bench/gpu/run_round.sh (tiny sizes; nothing of it is a measurement).
"""
import argparse
import os
import re
import subprocess
import sys
import time


def shim_omegaconf(work):
    """The official VQGAN module imports omegaconf only for isinstance checks on configs. Where it is
    not installed, a stand-in package on sys.path (a real package, so importlib finds its spec)."""
    try:
        import omegaconf  # noqa: F401
        return
    except ImportError:
        pass
    pkg = os.path.join(work, "shim", "omegaconf")
    os.makedirs(pkg, exist_ok=True)
    files = {
        "__init__.py": "from .dictconfig import DictConfig\nfrom .listconfig import ListConfig\n"
                       "class OmegaConf:\n    pass\n",
        "dictconfig.py": "class DictConfig(dict):\n    pass\n",
        "listconfig.py": "class ListConfig(list):\n    pass\n",
        "errors.py": "class UnsupportedValueType(Exception):\n    pass\n"
                     "class ValidationError(Exception):\n    pass\n",
    }
    for name, text in files.items():
        with open(os.path.join(pkg, name), "w") as f:
            f.write(text)
    sys.path.insert(0, os.path.dirname(pkg))


def to_namespace(d):
    ns = argparse.Namespace()
    for k, v in d.items():
        setattr(ns, k, to_namespace(v) if isinstance(v, dict) else v)
    return ns


def frame(torch, h, w, i, device):
    """The moving pattern bench_model uses: frame i shifted by 4·i px."""
    y = torch.linspace(0, 1, h).view(1, 1, h, 1)
    x = torch.linspace(0, 1, w).view(1, 1, 1, w) + 4.0 * i / w
    c = torch.arange(3, dtype=torch.float32).view(1, 3, 1, 1)
    return (torch.sin(x * 17 + y * 9 + c * 1.3) * 0.8).to(device)


def set_precision(torch, precision):
    tf32 = precision == "tf32"
    torch.backends.cuda.matmul.allow_tf32 = tf32
    torch.backends.cudnn.allow_tf32 = tf32   # PyTorch defaults this one to True: fp32 must turn it off


def run_official(torch, model, h, w, precision, pairs, device):
    set_precision(torch, precision)
    cuda = device.type == "cuda"
    if cuda:
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
    times = []
    dtype = {"fp16": torch.float16, "bf16": torch.bfloat16}.get(precision)
    for p in range(pairs):
        prev, nxt = frame(torch, h, w, p, device), frame(torch, h, w, p + 1, device)
        if cuda:
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        with torch.no_grad(), torch.autocast("cuda", dtype=dtype or torch.float16, enabled=dtype is not None and cuda):
            out = model.sample(prev, nxt, scale=0.5)
        float(out.float().sum())
        if cuda:
            torch.cuda.synchronize()
        times.append((time.perf_counter() - t0) * 1000)
        del out
    steady = sum(times[1:]) / (len(times) - 1) if len(times) > 1 else times[0]
    return steady, times[0], torch.cuda.max_memory_allocated() / 2**20 if cuda else -1


def run_ours(bench, ckpt, h, w, precision, steps, pairs, extra=(), device="cuda:0"):
    cmd = [bench, *(["--checkpoint", ckpt] if ckpt else []), "--size", f"{h}x{w}", "--steps", str(steps),
           "--precision", precision, "--device", device, "--pairs", str(pairs), *extra]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    text = r.stdout + r.stderr
    if r.returncode != 0:
        return None, None, None, text
    steady = re.search(r"steady ms per generated frame: ([0-9.]+)", text)
    first = re.search(r"\(first ([0-9.]+),", text)
    peak = re.search(r"peak CUDA allocated: ([0-9.]+) MB", text)
    per = float(steady.group(1)) if steady else float(re.search(r"ms per generated frame: ([0-9.]+)", text).group(1))
    return per, float(first.group(1)) if first else None, float(peak.group(1)) if peak else None, text


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--official", required=True)
    ap.add_argument("--bench", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--sizes", default="1080x1920,2160x3840")
    ap.add_argument("--precisions", default="fp32,tf32,fp16,bf16")
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--pairs", type=int, default=3)
    ap.add_argument("--pairs-4k", type=int, default=2)
    ap.add_argument("--save-only", action="store_true", help="only write the random-weights checkpoint")
    ap.add_argument("--port-variant", action="append", default=[],
                    help="NAME=bench_model options: one row per variant (default: the port's defaults)")
    ap.add_argument("--device", default="cuda:0")
    args = ap.parse_args()
    variants = [(v.split("=", 1)[0], v.split("=", 1)[1].split() if "=" in v else []) for v in args.port_variant]
    variants = variants or [("defaults", [])]

    os.environ.setdefault("TQDM_DISABLE", "1")
    os.makedirs(args.work, exist_ok=True)
    try:  # imported first, so that it decides "no omegaconf" before the stand-in exists
        import pytorch_lightning  # noqa: F401
    except Exception:
        pass
    shim_omegaconf(args.work)
    sys.path.insert(0, os.path.abspath(args.official))
    import torch

    device = torch.device(args.device)
    try:
        model, ckpt = build_official(torch, args, device)
    except Exception as e:  # still time the port alone (random weights) so the run is not wasted
        print(f"official model unavailable: {type(e).__name__}: {e}; timing the port alone", flush=True)
        model, ckpt = None, None
    if args.save_only:
        return
    if model is not None and device.type == "cuda":
        try:
            official_drift(torch, model, device)
        except Exception as e:
            print(f"official drift check failed: {type(e).__name__}: {e}", flush=True)
    print("| size | precision | port options | official ms/frame | ours ms/frame | official ÷ ours | official peak MiB | "
          "ours peak MiB |", flush=True)
    print("|---|---|---|---|---|---|---|---|", flush=True)
    for size in args.sizes.split(","):
        h, w = map(int, size.split("x"))
        pairs = args.pairs if h * w <= 1920 * 1088 else args.pairs_4k
        for precision in args.precisions.split(","):
            try:
                if model is None:
                    raise RuntimeError("not built")
                off_ms, off_first, off_peak = run_official(torch, model, h, w, precision, pairs, device)
                off = f"{off_ms:.0f} (first {off_first:.0f})"
            except Exception as e:  # keep going: one failing configuration must not hide the others
                off_ms, off_peak, off = None, None, f"error: {type(e).__name__}: {str(e)[:200]}"
            if device.type == "cuda":
                torch.cuda.empty_cache()
            for name, extra in variants:
                our_ms, our_first, our_peak, text = run_ours(args.bench, ckpt, h, w, precision, args.steps, pairs,
                                                             extra, args.device)
                ours = (f"{our_ms:.0f} (first {our_first:.0f})" if our_ms else
                        "error: " + next((l for l in text.splitlines() if "bench_model:" in l or "Error" in l),
                                         text.strip()[-200:])[:300])
                ratio = f"{off_ms / our_ms:.2f}" if off_ms and our_ms else "-"
                print(f"| {h}×{w} | {precision} | {name} | {off} | {ours} | {ratio} | "
                      f"{off_peak if off_peak is None else round(off_peak)} | "
                      f"{our_peak if our_peak is None else round(our_peak)} |", flush=True)


def official_drift(torch, model, device):
    """How far reduced precision moves the official model's output at 512² (same noise: the generator
    is reseeded before each call), the yardstick for the port's CUDA-vs-CPU figures."""
    outs = {}
    for precision in ("fp32", "tf32", "fp16", "bf16"):
        set_precision(torch, precision)
        dtype = {"fp16": torch.float16, "bf16": torch.bfloat16}.get(precision)
        torch.manual_seed(1234)
        with torch.no_grad(), torch.autocast("cuda", dtype=dtype or torch.float16, enabled=dtype is not None):
            outs[precision] = model.sample(frame(torch, 512, 512, 0, device), frame(torch, 512, 512, 1, device),
                                           scale=0.5).float()
        if precision != "fp32":
            d = (outs[precision] - outs["fp32"]).abs()
            print(f"official 512² {precision} vs fp32 (same noise): max |d| {d.max().item():.3g}, "
                  f"mean |d| {d.mean().item():.3g}, share > 1/255 {(d > 2 / 255).float().mean().item():.4f}",
                  flush=True)


def build_official(torch, args, device):
    """The official configuration with seeded random weights, on the GPU; saves those weights in the
    layout of vimeo_unet.pth for bench_model --checkpoint."""
    import yaml
    from model.BrownianBridge.LatentBrownianBridgeModel import LatentBrownianBridgeModel

    with open(os.path.join(args.official, "configs", "Template-LBBDM-video.yaml")) as f:
        cfg = yaml.load(f, Loader=yaml.FullLoader)
    cfg["model"]["VQGAN"]["params"]["ckpt_path"] = None    # the training-time VQGAN file is not needed
    cfg["model"]["BB"]["params"]["sample_step"] = args.steps
    torch.manual_seed(0)
    model = LatentBrownianBridgeModel(to_namespace(cfg["model"])).eval()
    sd = model.state_dict()
    ckpt = os.path.join(args.work, "random_official.pth")
    ema = {k: v for k, v in sd.items() if k.startswith("denoise_fn.")}
    torch.save({"step": 0, "model": sd, "epoch": 0, "ema": ema}, ckpt)
    params = sum(p.numel() for n, p in model.named_parameters() if not n.startswith("cond_stage_model."))
    model = model.to(device)
    gpu = torch.cuda.get_device_name(0) if device.type == "cuda" else "none (CPU)"
    print(f"GPU {gpu}, PyTorch {torch.__version__}, CUDA {torch.version.cuda}, "
          f"cuDNN {torch.backends.cudnn.version()}; official model {params / 1e6:.2f} M params, steps {args.steps}; "
          f"checkpoint {ckpt} ({os.path.getsize(ckpt) / 2**20:.0f} MiB)", flush=True)
    return model, ckpt


if __name__ == "__main__":
    main()
