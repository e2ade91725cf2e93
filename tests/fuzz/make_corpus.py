#!/usr/bin/env python3
"""Seed corpora of the fuzz targets (tests/fuzz/CMakeLists.txt), written to OUT/<target>/.

  checkpoint  small torch.save zips cut from the golden tiny.pth: its own pickle structure (the
              {'step','model','epoch','ema'} dict of OrderedDicts, tensors rebuilt from storages,
              the cond_stage_model.* aliases sharing storages) with a handful of its small tensors
              and their storage records; also a bare state dict
  pickle      the data.pkl of each of those
  npy         golden .npy files of each dtype and rank, cut to their first elements
  session     a real session folder (the CLI renders a generated clip into it), packed as the
              session target reads it: its files separated by NUL bytes
  media       small generated clips (make-sample) in MP4, MOV and Matroska, the session's FFV1
              chunk (NUT) and its join (Matroska)

Python 3 standard library only: torch is not needed to write the checkpoints (stand-in classes
pickle under torch's names).
Usage: make_corpus.py --golden DIR --cli build-ci/app/tlbvfi --out DIR
"""
import argparse
import collections
import io
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import types
import zipfile

# Stand-ins for what torch.save pickles by reference: torch.<Type>Storage and
# torch._utils._rebuild_tensor_v2, registered as modules so pickle finds them under those names.
torch_mod = types.ModuleType("torch")
utils_mod = types.ModuleType("torch._utils")
STORAGE_TYPES = ["FloatStorage", "DoubleStorage", "HalfStorage", "BFloat16Storage", "LongStorage",
                 "IntStorage", "ShortStorage", "CharStorage", "ByteStorage", "BoolStorage"]
for name in STORAGE_TYPES:
    cls = type(name, (), {"__module__": "torch"})
    setattr(torch_mod, name, cls)


def _rebuild_tensor_v2(storage, offset, size, stride, requires_grad=False, hooks=None, *rest):
    return Tensor(storage, offset, size, stride)


_rebuild_tensor_v2.__module__ = "torch._utils"
utils_mod._rebuild_tensor_v2 = _rebuild_tensor_v2
torch_mod._utils = utils_mod
sys.modules["torch"] = torch_mod
sys.modules["torch._utils"] = utils_mod


class Storage:
    def __init__(self, type_cls, key, location, numel):
        self.type_cls, self.key, self.location, self.numel = type_cls, key, location, numel


class Tensor:
    def __init__(self, storage, offset, size, stride):
        self.storage, self.offset, self.size, self.stride = storage, offset, tuple(size), tuple(stride)

    def __reduce__(self):
        return (_rebuild_tensor_v2, (self.storage, self.offset, self.size, self.stride, False,
                                     collections.OrderedDict()))


class Reader(pickle.Unpickler):
    def find_class(self, module, name):
        if module == "torch._utils" and name == "_rebuild_tensor_v2":
            return _rebuild_tensor_v2
        if module == "torch" and name in STORAGE_TYPES:
            return getattr(torch_mod, name)
        if module == "collections" and name == "OrderedDict":
            return collections.OrderedDict
        raise pickle.UnpicklingError(f"unexpected global {module}.{name}")

    def persistent_load(self, pid):
        tag, type_cls, key, location, numel = pid
        return Storage(type_cls, key, location, numel)


class Writer(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return ("storage", obj.type_cls, obj.key, obj.location, obj.numel)
        return None


def dump(obj):
    buf = io.BytesIO()
    Writer(buf, protocol=2).dump(obj)
    return buf.getvalue()


def write_checkpoint(path, archive, obj, records):
    """torch.save's zip layout: <archive>/data.pkl, <archive>/data/<key>, <archive>/version."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr(f"{archive}/data.pkl", dump(obj))
        for key, data in records.items():
            z.writestr(f"{archive}/data/{key}", data)
        z.writestr(f"{archive}/version", "3\n")


def checkpoints(golden, out):
    src = zipfile.ZipFile(os.path.join(golden, "tiny.pth"))
    archive = src.namelist()[0].split("/")[0]
    root = Reader(io.BytesIO(src.read(f"{archive}/data.pkl"))).load()
    model, ema = root["model"], root["ema"]
    small = [k for k, t in model.items() if t.storage.numel <= 64]
    pick = [k for k in small if k.startswith("vqgan.")][:3]
    pick += ["cond_stage_model." + k[len("vqgan."):] for k in pick if "cond_stage_model." + k[len("vqgan."):] in model]
    pick += [k for k in small if k.startswith("denoise_fn.") and k in ema][:3]
    sub_model = collections.OrderedDict((k, model[k]) for k in pick)
    sub_ema = {k: ema[k] for k in pick if k in ema}
    records = {t.storage.key: src.read(f"{archive}/data/{t.storage.key}") for t in sub_model.values()}
    records.update({t.storage.key: src.read(f"{archive}/data/{t.storage.key}") for t in sub_ema.values()})
    full = {"step": root["step"], "model": sub_model, "epoch": root["epoch"], "ema": sub_ema}
    os.makedirs(f"{out}/checkpoint", exist_ok=True)
    os.makedirs(f"{out}/pickle", exist_ok=True)
    write_checkpoint(f"{out}/checkpoint/small.pth", "small", full, records)
    write_checkpoint(f"{out}/checkpoint/bare.pth", "bare", sub_model, records)
    with open(f"{out}/pickle/small.pkl", "wb") as f:
        f.write(dump(full))
    with open(f"{out}/pickle/bare.pkl", "wb") as f:
        f.write(dump(sub_model))


def npys(golden, out):
    os.makedirs(f"{out}/npy", exist_ok=True)
    for case in ("case-a", "case-c"):
        for name in ("input0", "noise", "vq_indices", "vq_gap", "enc_latent"):
            with open(os.path.join(golden, case, name + ".npy"), "rb") as f:
                raw = f.read()
            header_len = raw[8] | (raw[9] << 8)
            header = raw[10:10 + header_len].decode("latin1")
            descr = header.split("'descr':")[1].split("'")[1]
            item = int(descr[2:])
            rank = header.split("'shape': (")[1].split(")")[0].count(",") + 1
            for shape in ((2,) * rank, (3,), ()):
                n = 1
                for s in shape:
                    n *= s
                dims = ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "")
                h = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (descr, dims)
                h += " " * ((64 - (10 + len(h) + 1) % 64) % 64) + "\n"
                data = raw[10 + header_len:10 + header_len + n * item]
                with open(f"{out}/npy/{case}-{name}-{len(shape)}d.npy", "wb") as f:
                    f.write(b"\x93NUMPY\x01\x00" + bytes([len(h) & 255, len(h) >> 8]) + h.encode("latin1") + data)


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr}")


def session_and_media(cli, out):
    os.makedirs(f"{out}/session", exist_ok=True)
    os.makedirs(f"{out}/media", exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for ext in ("mp4", "mov", "mkv"):
            run([cli, "make-sample", f"{out}/media/sample.{ext}", "--frames", "4", "--size", "32x32"])
        run([cli, "make-sample", f"{out}/media/sample-audio.mp4", "--frames", "3", "--size", "16x16", "--audio"])
        src = f"{tmp}/src.mp4"
        run([cli, "make-sample", src, "--frames", "6", "--size", "32x32"])
        sess = f"{tmp}/sess"
        run([cli, "interpolate", src, "--backend", "blend", "--encoder", "ffv1", "--chunk-frames", "3",
             "--min-free-gb", "0", "--session", sess, "--range", "0:"])
        shutil.copy(f"{sess}/chunk_000000.nut", f"{out}/media/chunk.nut")
        parts = []
        for name in ("session.json", "index.json", "manifest.json", "chunk_000000.json", "chunk_000001.json",
                     "chunk_000000.nut"):
            with open(f"{sess}/{name}", "rb") as f:
                parts.append(f.read())
        with open(f"{out}/session/real-session", "wb") as f:
            f.write(b"\0".join(parts))
        with open(f"{out}/session/records-only", "wb") as f:
            f.write(b"\0".join(parts[:5]))
        run([cli, "join", sess, "-o", f"{out}/media/joined.mkv", "--keep-chunks"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--golden", required=True)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    checkpoints(a.golden, a.out)
    npys(a.golden, a.out)
    session_and_media(a.cli, a.out)
    for target in sorted(os.listdir(a.out)):
        files = os.listdir(f"{a.out}/{target}")
        print(f"corpus {target}: {len(files)} files, {sum(os.path.getsize(f'{a.out}/{target}/{x}') for x in files)} bytes")


if __name__ == "__main__":
    main()
