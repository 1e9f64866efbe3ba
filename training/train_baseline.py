#!/usr/bin/env python3
"""Trains the baseline real-vs-synthetic classifier on the dataset from build_dataset.py, exports it to ONNX and
writes its model card with held-out metrics. Deterministic: fixed seed, deterministic algorithms, two threads."""
import argparse
import datetime
import hashlib
import json
import os
import random
import sys

import numpy as np
import torch
import torch.nn as nn

SEED = 20261121
SIZE = 128
EPOCHS = 6
BATCH = 64
TARGET_FPR = 0.05
NAME = "baseline-ganfaces"
VERSION = "1.0.0"


def log(msg):
    print(f"[train] {msg}", file=sys.stderr, flush=True)


def seed_everything():
    """Every source of randomness seeded, and the kernels pinned: the same data give a byte-identical ONNX file.
    The thread count is fixed because CPU reductions split work by thread; no DataLoader workers are used (batches are
    drawn in this process from a seeded generator)."""
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    torch.set_num_interop_threads(1)
    torch.use_deterministic_algorithms(True)
    torch.backends.cudnn.benchmark = False


def block(cin, cout, stride):
    return [nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]


class SmallNet(nn.Module):
    """Seven 3x3 conv blocks; the first keeps full resolution so high-frequency (upsampling) traces survive."""

    def __init__(self):
        super().__init__()
        layers = (block(3, 8, 1) + block(8, 16, 2) + block(16, 24, 2) + block(24, 24, 1)
                  + block(24, 48, 2) + block(48, 48, 1) + block(48, 96, 2))
        self.features = nn.Sequential(*layers)
        self.head = nn.Linear(96, 1)

    def forward(self, x):
        x = self.features(x).mean(dim=(2, 3))
        return self.head(x)


class Exported(nn.Module):
    """What ships: uint8-free float input normalised as the card says, sigmoid probability out."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return torch.sigmoid(self.net(x))


def to_tensor(x_uint8):
    """NHWC uint8 → NCHW float, (v/255 - 0.5) / 0.5, exactly the card's normalisation."""
    x = torch.from_numpy(x_uint8).permute(0, 3, 1, 2).float() / 255.0
    return (x - 0.5) / 0.5


# --- metrics (same definitions as the C# DetectionMetrics) ---------------------------------------------------
def roc_auc(real, fake):
    scores = np.concatenate([real, fake])
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    s = scores[order]
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and s[j + 1] == s[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j + 2) / 2.0
        i = j + 1
    n = len(fake)
    return float((ranks[len(real):].sum() - n * (n + 1) / 2) / (n * len(real)))


def roc_curve(real, fake):
    items = sorted([(v, 0) for v in real] + [(v, 1) for v in fake], key=lambda t: -t[0])
    pts, tp, fp = [(float("inf"), 0.0, 0.0)], 0, 0
    for k, (v, lab) in enumerate(items):
        tp += lab
        fp += 1 - lab
        if k + 1 == len(items) or items[k + 1][0] != v:
            pts.append((v, fp / len(real), tp / len(fake)))
    return pts


def eer(real, fake):
    pts = roc_curve(real, fake)
    for i in range(1, len(pts)):
        d = pts[i][1] - (1 - pts[i][2])
        if d >= 0:
            dp = pts[i - 1][1] - (1 - pts[i - 1][2])
            t = 0 if d == dp else -dp / (d - dp)
            return pts[i - 1][1] + t * (pts[i][1] - pts[i - 1][1])
    return 0.0


def tpr_at(real, fake, fpr):
    return max(p[2] for p in roc_curve(real, fake) if p[1] <= fpr + 1e-12)


def threshold_for(real, fake, fpr):
    best = float("inf")
    for p in roc_curve(real, fake):
        if p[1] <= fpr + 1e-12:
            best = p[0]
    return best if best != float("inf") else float(np.nextafter(max(real), 2.0))


def predict(net, x, batch=256):
    net.eval()
    out = []
    with torch.no_grad():
        for k in range(0, len(x), batch):
            out.append(torch.sigmoid(net(to_tensor(x[k:k + batch]))).squeeze(1).numpy())
    return np.concatenate(out).astype(np.float64)


def metrics(scores, y):
    real, fake = scores[y == 0], scores[y == 1]
    return {"auc": roc_auc(real, fake), "eer": eer(real, fake), "tprAt1PctFpr": tpr_at(real, fake, 0.01),
            "tprAt01PctFpr": tpr_at(real, fake, 0.001), "real": int(len(real)), "fake": int(len(fake))}


def train(data, epochs=EPOCHS, limit=None):
    x, y = data["x_train"], data["y_train"].astype(np.float32)
    if limit is not None and limit < len(x):
        # A reduced run (determinism checks): a seeded subset, in index order.
        keep = np.sort(np.random.default_rng(SEED).choice(len(x), limit, replace=False))
        x, y = x[keep], y[keep]
    net = SmallNet()
    opt = torch.optim.AdamW(net.parameters(), lr=2e-3, weight_decay=1e-4)
    steps = epochs * ((len(x) + BATCH - 1) // BATCH)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)
    loss_fn = nn.BCEWithLogitsLoss()
    gen = torch.Generator().manual_seed(SEED)
    best, best_state = -1.0, None
    for epoch in range(epochs):
        net.train()
        perm = torch.randperm(len(x), generator=gen).numpy()
        total = 0.0
        for k in range(0, len(x), BATCH):
            idx = perm[k:k + BATCH]
            xb = to_tensor(x[idx])
            flip = torch.rand(len(idx), generator=gen) < 0.5
            xb[flip] = xb[flip].flip(3)
            yb = torch.from_numpy(y[idx]).unsqueeze(1)
            opt.zero_grad()
            loss = loss_fn(net(xb), yb)
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss) * len(idx)
        val = metrics(predict(net, data["x_val"]), data["y_val"])
        log(f"epoch {epoch + 1}/{epochs} loss {total / len(x):.4f} val auc {val['auc']:.4f} eer {val['eer']:.4f}")
        score = val["auc"] - val["eer"]
        if score > best:
            best, best_state = score, {k: v.clone() for k, v in net.state_dict().items()}
    net.load_state_dict(best_state)
    return net


def export(net, path):
    net.eval()
    model = Exported(net)
    dummy = torch.zeros(1, 3, SIZE, SIZE)
    torch.onnx.export(model, dummy, path, input_names=["input"], output_names=["score"], opset_version=13,
                      dynamic_axes={"input": {0: "batch"}, "score": {0: "batch"}}, do_constant_folding=True)
    import onnx
    onnx.checker.check_model(onnx.load(path))


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def round6(d):
    return {k: (round(v, 6) if isinstance(v, float) else v) for k, v in d.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True, help="path prefix: writes PREFIX.onnx and PREFIX.card.json")
    ap.add_argument("--epochs", type=int, default=EPOCHS, help="fewer for a quick (determinism) check; the card says how many")
    ap.add_argument("--limit-train", type=int, default=None, help="train on a seeded subset of this many samples")
    args = ap.parse_args()
    seed_everything()
    data = np.load(args.data)
    log(f"train {len(data['y_train'])}, val {len(data['y_val'])}, test {len(data['y_test'])}")
    net = train(data, args.epochs, args.limit_train)

    val_scores = predict(net, data["x_val"])
    yv = data["y_val"]
    threshold = threshold_for(val_scores[yv == 0], val_scores[yv == 1], TARGET_FPR)
    test_scores = predict(net, data["x_test"])
    yt, kinds = data["y_test"], data["kind_test"]
    test = metrics(test_scores, yt)
    test["fprAtThreshold"] = float((test_scores[yt == 0] >= threshold).mean())
    test["tprAtThreshold"] = float((test_scores[yt == 1] >= threshold).mean())
    by_kind = {str(k): round(float((test_scores[kinds == k] >= threshold).mean()), 4) for k in sorted(set(kinds))}
    log(f"test {test}; flagged share by kind {by_kind}")

    onnx_path = args.out + ".onnx"
    os.makedirs(os.path.dirname(os.path.abspath(onnx_path)), exist_ok=True)
    export(net, onnx_path)
    card = make_card(os.path.basename(onnx_path), sha256(onnx_path), threshold,
                     round6(metrics(val_scores, yv)), round6(test), by_kind, data, args.epochs)
    with open(args.out + ".card.json", "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")
    log(f"wrote {onnx_path} ({os.path.getsize(onnx_path)} bytes) and {args.out}.card.json")


def make_card(file, digest, threshold, val, test, by_kind, data, epochs):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from card import card_template
    return card_template(NAME, VERSION, file, digest, SIZE, threshold, TARGET_FPR, val, test, by_kind,
                         {s: int(len(data[f"y_{s}"])) for s in ("train", "val", "test")}, SEED, epochs,
                         torch.__version__)


if __name__ == "__main__":
    main()
