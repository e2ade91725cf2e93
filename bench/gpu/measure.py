#!/usr/bin/env python3
"""Runs one command and reports what the GPU round records for it (bench/gpu/run_round.sh):
wall time, peak RSS of the process (and its children), peak GPU memory used on the device (sampled
with nvidia-smi every 200 ms; the round's job is the only user), and the exit status.

  measure.py [--kill-when PATH] [--timeout S] -- COMMAND ARGS...

--kill-when PATH sends SIGKILL to the command as soon as PATH exists (a crash at a known moment, for
the resume check). The command's own output passes through; the last line is
  measure: exit N, wall S s, max RSS M MiB, peak GPU memory G MiB[, killed]
"""
import argparse
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kill-when")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.cmd[1:] if args.cmd and args.cmd[0] == "--" else args.cmd
    if not cmd:
        ap.error("no command")

    peak_vram = [-1]
    stop = threading.Event()
    smi = shutil.which("nvidia-smi")

    def sample():
        while not stop.is_set():
            try:
                out = subprocess.run([smi, "--query-gpu=memory.used", "--format=csv,noheader,nounits", "-i", "0"],
                                     capture_output=True, text=True, timeout=5).stdout.strip()
                peak_vram[0] = max(peak_vram[0], int(out.splitlines()[0]))
            except Exception:
                pass
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True) if smi else None
    if sampler:
        sampler.start()
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, start_new_session=True)
    killed = False
    while True:
        try:
            rc = proc.wait(timeout=0.05)
            break
        except subprocess.TimeoutExpired:
            pass
        if args.kill_when and os.path.exists(args.kill_when) and not killed:
            os.killpg(proc.pid, signal.SIGKILL)
            killed = True
        if time.monotonic() - t0 > args.timeout and not killed:
            os.killpg(proc.pid, signal.SIGKILL)
            killed = True
    wall = time.monotonic() - t0
    stop.set()
    if sampler:
        sampler.join(timeout=2)
    rss_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
    vram = f"{peak_vram[0]} MiB" if peak_vram[0] >= 0 else "n/a (no nvidia-smi)"
    print(f"measure: exit {rc}, wall {wall:.2f} s, max RSS {rss_mib:.0f} MiB, peak GPU memory {vram}"
          f"{', killed' if killed else ''}", flush=True)
    sys.exit(0 if rc == 0 or killed else rc if rc > 0 else 1)


if __name__ == "__main__":
    main()
