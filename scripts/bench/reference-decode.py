#!/usr/bin/env python3
"""Times the original Lofi project's decoder in PyTorch, for BENCHMARKS.md.

Not part of the product, and none of the original's code is here: this imports the
`model/` package of a checkout of the public Lofi project (github.com/jacbz/Lofi),
loads the shared checkpoint into its `Decoder` and times it on the CPU the way its
server runs it (`server/app.py`, `server/lofi2lofi_generate.py`): eval mode, no
`torch.no_grad()`, `Decoder.decode(mu)` per request, i.e. all MAX_CHORD_LENGTH (50)
chord steps with eight notes each, whatever the song's end token says. Batched
decoding calls `Decoder.forward(z, 50)` on 256 rows at once, as a batch job would.
A second figure under `torch.no_grad()` is printed too, the fairest PyTorch can do
without changing the model.

Needs PyTorch and numpy (CPU is enough):
  python3 -m venv /tmp/torchenv && /tmp/torchenv/bin/pip install torch numpy
Usage:
  /tmp/torchenv/bin/python scripts/bench/reference-decode.py LOFI_CHECKOUT
      [--checkpoint ../shared/reference/lofi2lofi_decoder.pth] [--threads 2]
      [--songs-single 64] [--songs-batched 1024] [--batch 256]
Prints one line per figure: `<label>: <ms> ms per song`.
"""
import argparse
import os
import sys
import time


def best_of(passes, run):
    best = None
    for _ in range(passes):
        t0 = time.perf_counter()
        run()
        elapsed = time.perf_counter() - t0
        best = elapsed if best is None else min(best, elapsed)
    return best


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("checkout", help="a checkout of github.com/jacbz/Lofi (its model/ package is imported)")
    parser.add_argument("--checkpoint", default=os.path.join(here, "../../../shared/reference/lofi2lofi_decoder.pth"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--songs-single", type=int, default=64, help="songs decoded one by one (default 64)")
    parser.add_argument("--songs-batched", type=int, default=1024, help="songs decoded in batches (default 1024)")
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    model_dir = os.path.join(args.checkout, "model")
    if not os.path.isfile(os.path.join(model_dir, "lofi2lofi_model.py")):
        sys.exit(f"reference-decode: {args.checkout}: not a checkout of the Lofi project (no model/lofi2lofi_model.py)")
    if not os.path.isfile(args.checkpoint):
        sys.exit(f"reference-decode: {args.checkpoint}: no such checkpoint")
    sys.path.insert(0, os.path.abspath(args.checkout))

    import torch
    from model.constants import HIDDEN_SIZE, MAX_CHORD_LENGTH
    from model.lofi2lofi_model import Decoder

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    decoder = Decoder(device="cpu")
    decoder.load_state_dict(torch.load(args.checkpoint, map_location="cpu"))
    decoder.eval()

    capability = [line.strip() for line in torch.__config__.show().splitlines() if "CPU capability" in line]
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads, BLAS {torch.backends.mkl.is_available() and 'MKL' or 'other'}"
          f"{', ' + capability[0] if capability else ''}")
    print(f"chord steps per song: {MAX_CHORD_LENGTH} (the reference decodes all of them)")

    singles = [torch.randn(1, HIDDEN_SIZE) for _ in range(args.songs_single)]
    batches = [torch.randn(args.batch, HIDDEN_SIZE) for _ in range(max(1, args.songs_batched // args.batch))]

    def one_by_one():
        for mu in singles:
            decoder.decode(mu)

    def batched():
        for z in batches:
            decoder(z, MAX_CHORD_LENGTH)

    one_by_one()  # warm-up: first calls allocate and pick kernels
    t = best_of(3, one_by_one)
    print(f"batch 1, as the server runs it: {t / len(singles) * 1000:.3f} ms per song")
    t = best_of(3, batched)
    print(f"batch {args.batch}, as the server runs it: {t / (len(batches) * args.batch) * 1000:.3f} ms per song")
    with torch.no_grad():
        t = best_of(3, one_by_one)
        print(f"batch 1, no_grad: {t / len(singles) * 1000:.3f} ms per song")
        t = best_of(3, batched)
        print(f"batch {args.batch}, no_grad: {t / (len(batches) * args.batch) * 1000:.3f} ms per song")


if __name__ == "__main__":
    main()
