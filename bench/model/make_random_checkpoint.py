#!/usr/bin/env python3
"""Writes a checkpoint of the official TLB-VFI configuration with random weights, in the file layout
of vimeo_unet.pth ({step, model, epoch, ema}; cond_stage_model.* sharing the vqgan.* storages), from
the key/shape table of the golden data. For whole-process memory and speed benchmarks of the CLI on
machines without the real weights (values are meaningless; shapes, layout and sizes are the real
ones). Needs only PyTorch.

  python3 make_random_checkpoint.py ../shared/golden/official-keys.tsv OUT.pth
"""
import collections
import sys

import torch


def main():
    keys_tsv, out = sys.argv[1], sys.argv[2]
    sd = collections.OrderedDict()
    gen = torch.Generator().manual_seed(0)
    for line in open(keys_tsv):
        fields = line.rstrip("\n").split("\t")
        if fields[0].startswith("#") or len(fields) < 3:
            continue
        key, shape, dtype = fields[0], fields[1], fields[2]
        if key.startswith("cond_stage_model."):
            sd[key] = sd["vqgan." + key[len("cond_stage_model."):]]   # same storage, as in the real file
            continue
        dims = [int(d) for d in shape.strip("[]() ").replace(" ", "").split(",") if d]
        sd[key] = torch.zeros(dims, dtype=torch.int64) if "int64" in dtype else torch.randn(dims, generator=gen) * 0.02
    ema = {k: v for k, v in sd.items() if k.startswith("denoise_fn.")}
    torch.save({"step": 0, "model": sd, "epoch": 0, "ema": ema}, out)
    print(f"{out}: {len(sd)} keys")


if __name__ == "__main__":
    main()
