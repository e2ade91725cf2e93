#!/usr/bin/env python3
"""Runs a command and SIGKILLs it at a chosen moment (used by kill_soak.sh).

  kill_at.py --watch DIR [--watch DIR] --at EVENT [--delay S] -- COMMAND...

EVENT is "time" (DELAY seconds after the start), "file:GLOB": the first time a file whose name
matches GLOB appears in a watched folder (created or renamed into it, seen through inotify), then
DELAY seconds more, or "grow:GLOB" with --bytes N: once such a file appeared, as soon as it holds N
bytes (its size polled every 2 ms; for kills part-way through writing a file, e.g. the join's output). Prints one JSON line: whether it killed, when (seconds since the start), what it
saw, the exit status, and the temp files left in the watched folders afterwards.
"""
import argparse
import ctypes
import fnmatch
import json
import os
import select
import signal
import struct
import subprocess
import sys
import tempfile
import time

IN_CREATE, IN_MOVED_TO = 0x100, 0x80
libc = ctypes.CDLL("libc.so.6", use_errno=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--watch", action="append", default=[])
    ap.add_argument("--at", required=True)
    ap.add_argument("--delay", type=float, default=0.0)
    ap.add_argument("--bytes", type=int, default=0)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    fd = libc.inotify_init1(os.O_NONBLOCK)
    for d in a.watch:   # watch descriptors are numbered 1, 2, ... in this order
        if libc.inotify_add_watch(fd, d.encode(), IN_CREATE | IN_MOVED_TO) < 0:
            sys.exit(f"inotify_add_watch {d}: {os.strerror(ctypes.get_errno())}")
    grow = a.at.startswith("grow:")
    glob = a.at[5:] if a.at.startswith(("file:", "grow:")) else None
    grown_path = None
    start = time.monotonic()
    err_file = tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err_file)
    seen_at, seen_name, deadline = None, None, (start + a.delay if glob is None else None)
    killed_at = None
    while proc.poll() is None:
        now = time.monotonic()
        if deadline is not None and now >= deadline:
            os.kill(proc.pid, signal.SIGKILL)
            killed_at = now - start
            break
        if grown_path:
            try:
                if os.stat(grown_path).st_size >= a.bytes:
                    os.kill(proc.pid, signal.SIGKILL)
                    killed_at = time.monotonic() - start
                    break
            except FileNotFoundError:
                pass
        timeout = 0.002 if grown_path else 0.05 if deadline is None else max(0.0, min(0.05, deadline - now))
        r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            continue
        buf = os.read(fd, 65536)
        off = 0
        while off < len(buf):
            wd, mask, cookie, length = struct.unpack_from("iIII", buf, off)
            folder = a.watch[wd - 1] if 0 < wd <= len(a.watch) else ""
            name = buf[off + 16:off + 16 + length].rstrip(b"\0").decode(errors="replace")
            off += 16 + length
            if glob and seen_at is None and fnmatch.fnmatch(name, glob):
                seen_at, seen_name = time.monotonic() - start, name
                if grow:
                    grown_path = os.path.join(folder, name)
                    continue
                deadline = start + seen_at + a.delay
                if a.delay <= 0:
                    os.kill(proc.pid, signal.SIGKILL)
                    killed_at = time.monotonic() - start
                    break
        if killed_at is not None:
            break
    proc.wait()
    err_file.seek(0)
    err = err_file.read().decode(errors="replace").strip().splitlines()
    leftovers = sorted(n for d in a.watch if os.path.isdir(d) for n in os.listdir(d) if n.startswith(".tmp") or ".tmp-" in n or n.endswith(".joining"))
    print(json.dumps({"killed": killed_at is not None, "at": round(killed_at, 3) if killed_at else None,
                      "seen": seen_name, "seen_at": round(seen_at, 3) if seen_at else None, "exit": proc.returncode,
                      "elapsed": round(time.monotonic() - start, 3), "leftovers": leftovers,
                      "stderr_tail": err[-1] if err else ""}))


if __name__ == "__main__":
    main()
