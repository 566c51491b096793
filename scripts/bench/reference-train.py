#!/usr/bin/env python3
"""Times the reference Lofi2Lofi training step in PyTorch, for BENCHMARKS.md.

This is not part of the product. It restates the reference model and objective
of ../shared/docs/LOFI2LOFI.md in PyTorch, so that `lofi-render train` can be
timed against it side by side on the same machine and the same samples:

- encoder: chord and melody embeddings through bidirectional nn.LSTM over packed
  variable-length sequences, the five small embeddings, downsample 560 -> 100,
  mean and log-variance heads, the reparameterisation;
- decoder: the LSTMCell loop of LOFI2LOFI.md for the longest sample's chord
  count, feeding back its own argmax (a per-step coin for scheduled sampling,
  as the reference draws it), random initial states;
- loss: masked cross-entropies over positions 0...n, KL, the L1 and
  cross-entropy heads with the reference's divisors; accuracies collected as
  Python lists; AdamW(1e-3, weight decay 0.1); batch 128, shuffled, 85/15 split.

It reads the song JSON samples `lofi-render dataset build` writes and prints, per
epoch, the training phase's samples per second (validation excluded), then the
median over epochs 2..N -- the figure `lofi-render train` prints.

Needs PyTorch (CPU is enough):  python3 -m venv /tmp/torchenv &&
/tmp/torchenv/bin/pip install torch numpy
Usage: /tmp/torchenv/bin/python scripts/bench/reference-train.py DIR [--epochs 6]
       [--threads 2] [--batch-size 128] [--teacher-forcing 0]
"""
import argparse
import glob
import json
import os
import statistics
import sys
import time

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

H, H2 = 100, 32
CHORDS, NOTES, KEYS, MODES = 9, 15, 12, 7
END = 8
SLOTS = 8
MAX_CHORDS = 50


def head(inner, out):
    return nn.Sequential(nn.Linear(H, inner), nn.ReLU(), nn.Linear(inner, out))


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.chord_embeddings = nn.Embedding(CHORDS, H)
        self.chords_lstm = nn.LSTM(H, H, batch_first=True, bidirectional=True)
        self.melody_embeddings = nn.Embedding(NOTES, H)
        self.melody_lstm = nn.LSTM(H, H, batch_first=True, bidirectional=True)
        self.tempo_embedding = nn.Linear(1, H2)
        self.key_embedding = nn.Embedding(KEYS, H2)
        self.mode_embedding = nn.Embedding(MODES, H2)
        self.valence_embedding = nn.Linear(1, H2)
        self.energy_embedding = nn.Linear(1, H2)
        self.downsample = nn.Linear(4 * H + 5 * H2, H)

    def forward(self, chords, notes, tempo, key, mode, valence, energy, lengths):
        packed = pack_padded_sequence(self.chord_embeddings(chords), lengths,
                                      batch_first=True, enforce_sorted=False)
        _, (hc, _) = self.chords_lstm(packed)
        packed = pack_padded_sequence(self.melody_embeddings(notes), lengths * SLOTS,
                                      batch_first=True, enforce_sorted=False)
        _, (hm, _) = self.melody_lstm(packed)
        parts = (hc[-1], hc[-2], hm[-1], hm[-2],
                 self.tempo_embedding(tempo.unsqueeze(1)), self.key_embedding(key),
                 self.mode_embedding(mode), self.valence_embedding(valence.unsqueeze(1)),
                 self.energy_embedding(energy.unsqueeze(1)))
        return self.downsample(torch.cat(parts, dim=1))


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.chords_lstm = nn.LSTMCell(H, H)
        self.chord_embeddings = nn.Embedding(CHORDS, H)
        self.chord_prediction = head(H, CHORDS)
        self.chord_embedding_downsample = nn.Linear(2 * H, H)
        self.melody_embeddings = nn.Embedding(NOTES, H)
        self.melody_lstm = nn.LSTMCell(H, H)
        self.melody_prediction = head(H, NOTES)
        self.melody_embedding_downsample = nn.Linear(3 * H, H)
        self.key_linear = head(H2, KEYS)
        self.mode_linear = head(H2, MODES)
        self.tempo_linear = head(H2, 1)
        self.valence_linear = head(H2, 1)
        self.energy_linear = head(H2, 1)

    def forward(self, z, steps, forcing, gt_chords, gt_notes):
        batch = z.shape[0]
        hc, cc, hm, cm = (torch.randn(batch, H) for _ in range(4))
        chord_logits, note_logits = [], []
        chord_in, melody_in = z, None
        for i in range(steps):
            hc, cc = self.chords_lstm(chord_in, (hc, cc))
            logits = self.chord_prediction(hc)
            chord_logits.append(logits)
            forced = bool(np.random.choice(2, 1, p=[1 - forcing, forcing])[0])
            token = gt_chords[:, i] if forced else logits.argmax(dim=1)
            chord_in = self.chord_embedding_downsample(
                torch.cat((self.chord_embeddings(token), z), dim=1))
            if melody_in is None:
                melody_in = chord_in
            for j in range(SLOTS):
                hm, cm = self.melody_lstm(melody_in, (hm, cm))
                logits = self.melody_prediction(hm)
                note_logits.append(logits)
                forced = bool(np.random.choice(2, 1, p=[1 - forcing, forcing])[0])
                token = gt_notes[:, i * SLOTS + j] if forced else logits.argmax(dim=1)
                melody_in = self.melody_embedding_downsample(
                    torch.cat((self.melody_embeddings(token), chord_in, z), dim=1))
        return (torch.stack(chord_logits, dim=1), torch.stack(note_logits, dim=1),
                self.tempo_linear(z), self.key_linear(z), self.mode_linear(z),
                self.valence_linear(z), self.energy_linear(z))


class Lofi2Lofi(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = Encoder()
        self.decoder = Decoder()
        self.mean_linear = nn.Linear(H, H)
        self.variance_linear = nn.Linear(H, H)

    def forward(self, b, steps, forcing):
        h = self.encoder(b["chords"], b["notes"], b["tempo"], b["key"], b["mode"],
                         b["valence"], b["energy"], b["lengths"])
        mu, log_var = self.mean_linear(h), self.variance_linear(h)
        z = mu + torch.randn_like(mu) * (log_var / 2).exp()
        kl = 0.5 * torch.mean(mu ** 2 + log_var.exp() - log_var - 1)
        return self.decoder(z, steps, forcing, b["chords"], b["notes"]) + (kl,)


def load(folder):
    """Song JSON samples, padded as the reference pads them (end tokens, rests)."""
    songs = []
    for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
        with open(path) as f:
            s = json.load(f)
        n = len(s["chords"])
        chords = s["chords"] + [END] * (MAX_CHORDS + 1 - n)
        notes = [m for bar in s["melodies"] for m in bar]
        notes += [0] * ((MAX_CHORDS + 1) * SLOTS - len(notes))
        songs.append(dict(
            song=s.get("source", path), n=n, chords=chords, notes=notes,
            key=s["key"] - 1, mode=s["mode"] - 1, tempo=(s["bpm"] - 70) / 30,
            energy=s["energy"], valence=s["valence"]))
    if not songs:
        sys.exit(f"{folder}: no samples (*.json) found")
    return songs


def collate(items):
    lengths = torch.tensor([s["n"] for s in items])
    steps = int(lengths.max())
    return dict(
        lengths=lengths, steps=steps,
        chords=torch.tensor([s["chords"] for s in items])[:, :steps],
        notes=torch.tensor([s["notes"] for s in items])[:, :steps * SLOTS],
        key=torch.tensor([s["key"] for s in items]),
        mode=torch.tensor([s["mode"] for s in items]),
        tempo=torch.tensor([s["tempo"] for s in items], dtype=torch.float32),
        energy=torch.tensor([s["energy"] for s in items], dtype=torch.float32),
        valence=torch.tensor([s["valence"] for s in items], dtype=torch.float32))


def objective(model, b, forcing):
    ce = nn.CrossEntropyLoss(reduction="none")
    l1 = nn.L1Loss()
    chords, notes, tempo, key, mode, valence, energy, kl = model(b, b["steps"], forcing)
    steps = b["steps"]
    positions = torch.arange(steps).repeat(len(b["lengths"]), 1)
    chord_mask = positions <= b["lengths"].unsqueeze(1)
    note_positions = torch.arange(steps * SLOTS).repeat(len(b["lengths"]), 1)
    note_mask = note_positions <= (b["lengths"] * SLOTS).unsqueeze(1)
    loss_chords = torch.masked_select(ce(chords.permute(0, 2, 1), b["chords"]), chord_mask).mean()
    loss_notes = torch.masked_select(ce(notes.permute(0, 2, 1), b["notes"]), note_mask).mean()
    loss = (loss_chords + kl + loss_notes + l1(tempo[:, 0], b["tempo"]) / 5
            + ce(key, b["key"]).mean() / 30 + ce(mode, b["mode"]).mean() / 10
            + l1(valence[:, 0], b["valence"]) / 5 + l1(energy[:, 0], b["energy"]) / 5)
    hits_chords = torch.masked_select(chords.argmax(dim=2) == b["chords"], chord_mask).tolist()
    hits_notes = torch.masked_select(notes.argmax(dim=2) == b["notes"], note_mask).tolist()
    return loss, hits_chords, hits_notes


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("data")
    p.add_argument("--epochs", type=int, default=6)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--teacher-forcing", type=float, default=0.0)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)

    songs = load(a.data)
    order = torch.randperm(len(songs)).tolist()
    cut = int(0.85 * len(songs))
    train = [songs[i] for i in order[:cut]]
    valid = [songs[i] for i in order[cut:]]
    model = Lofi2Lofi()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.1)
    lengths = sorted({s["n"] for s in songs})
    print(f"{len(train)} training and {len(valid)} validation samples, chord counts {lengths}, "
          f"batch {a.batch_size}, {torch.get_num_threads()} threads, torch {torch.__version__}")

    rates = []
    for epoch in range(1, a.epochs + 1):
        model.train()
        start = time.perf_counter()
        shuffled = torch.randperm(len(train)).tolist()
        hits_c, hits_m = [], []
        for k in range(0, len(train), a.batch_size):
            batch = collate([train[i] for i in shuffled[k:k + a.batch_size]])
            loss, hc, hm = objective(model, batch, a.teacher_forcing)
            hits_c += hc
            hits_m += hm
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        seconds = time.perf_counter() - start
        rates.append(len(train) / seconds)
        model.eval()
        with torch.no_grad():
            for k in range(0, len(valid), a.batch_size):
                objective(model, collate(valid[k:k + a.batch_size]), 0.0)
        print(f"epoch {epoch}: {rates[-1]:.0f} samples/s ({seconds:.2f} s), "
              f"train chord acc {sum(hits_c) / len(hits_c):.3f}, melody acc {sum(hits_m) / len(hits_m):.3f}",
              flush=True)
    tail = rates[1:] if len(rates) > 1 else rates
    print(f"median samples/s over epochs 2..{a.epochs}: {statistics.median(tail):.0f}")


if __name__ == "__main__":
    main()
