#!/usr/bin/env python3
"""Builds the baseline classifier's dataset: 128x128 RGB crops labelled real (0) or fake (1), split into
train / val / test by source (a photograph, a stretch of footage or a generated face never lands in two splits).

Fake: StyleGAN2 faces (npm fake-avatars, images 0-159 train, 160-199 val, 200-262 test), plus pseudo-fakes
synthesised from real training crops (self-blended faces, generator-like upsampling traces), training only.
Real: face crops (Haar cascade) and random crops of photographs from Debian packages and the face-api demo,
and frames of opencv-doc's vtest.avi street footage (split by time).
Every sample is augmented from the same distribution whatever its label (colour, downscale, JPEG, H.264), so
none of these is a shortcut. Deterministic: one seed drives every random choice.
"""
import argparse
import glob
import io
import os
import subprocess
import sys

import numpy as np
from PIL import Image, ImageEnhance
from scipy import ndimage

SIZE = 128
SEED = 20261121
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NPM = os.path.join(ROOT, ".cache", "training", "npm")
SKIMAGE = "/usr/lib/python3/dist-packages/skimage/data"
OPENCV = "/usr/share/doc/opencv-doc/examples/data"
MPL = "/usr/share/matplotlib/mpl-data/sample_data"
HAAR = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml"

# Photographs, by split. Faces are cropped from those that have them; every one also gives random crops.
PHOTOS = {
    "train": [f"{NPM}/face-api/package/demo/sample1.jpg", f"{NPM}/face-api/package/demo/sample2.jpg",
              f"{NPM}/face-api/package/demo/sample6.jpg", f"{SKIMAGE}/astronaut.png", f"{OPENCV}/messi5.jpg",
              f"{SKIMAGE}/camera.png", f"{SKIMAGE}/chelsea.png", f"{SKIMAGE}/rocket.jpg",
              f"{SKIMAGE}/motorcycle_left.png", f"{SKIMAGE}/grass.png", f"{SKIMAGE}/gravel.png",
              f"{OPENCV}/baboon.jpg", f"{OPENCV}/fruits.jpg", f"{OPENCV}/building.jpg", f"{OPENCV}/aero1.jpg",
              f"{OPENCV}/basketball1.png", f"{OPENCV}/home.jpg", f"{OPENCV}/HappyFish.jpg"],
    "val": [f"{NPM}/face-api/package/demo/sample3.jpg", f"{NPM}/face-api/package/demo/sample4.jpg",
            f"{MPL}/grace_hopper.jpg", f"{SKIMAGE}/coffee.png", f"{OPENCV}/orange.jpg", f"{OPENCV}/aero3.jpg"],
    "test": [f"{NPM}/face-api/package/demo/sample5.jpg", f"{SKIMAGE}/brick.png", f"{OPENCV}/apple.jpg",
             f"{OPENCV}/butterfly.jpg", f"{SKIMAGE}/motorcycle_right.png", f"{OPENCV}/basketball2.png"],
}
GAN_RANGES = {"train": range(0, 160), "val": range(160, 200), "test": range(200, 263)}
VIDEO = f"{OPENCV}/vtest.avi"
VIDEO_SPLITS = {"train": (0.0, 0.7), "val": (0.7, 0.8), "test": (0.8, 1.0)}
# How many samples of each kind, per split.
PLAN = {
    "train": {"gan_variants": 6, "face_jitters": 14, "photo_crops": 34, "video_crops": 4, "pseudo": 560},
    "val": {"gan_variants": 3, "face_jitters": 6, "photo_crops": 10, "video_crops": 2, "pseudo": 0},
    "test": {"gan_variants": 2, "face_jitters": 6, "photo_crops": 12, "video_crops": 2, "pseudo": 0},
}


def log(msg):
    print(f"[dataset] {msg}", file=sys.stderr, flush=True)


def load_rgb(path):
    return Image.open(path).convert("RGB")


def resize(img, size=SIZE):
    """The whole image to SIZE x SIZE (aspect not kept, as the detector does with full frames): area-average when
    shrinking (what ffmpeg's scale=flags=area does at scan time), bilinear when enlarging."""
    method = Image.BOX if img.width >= size and img.height >= size else Image.BILINEAR
    return img.resize((size, size), method)


def random_crop(img, rng):
    s_min = min(img.size)
    side = int(s_min * rng.uniform(0.25, 1.0))
    side = max(side, min(SIZE // 2, s_min))
    x = int(rng.integers(0, img.width - side + 1))
    y = int(rng.integers(0, img.height - side + 1))
    return resize(img.crop((x, y, x + side, y + side)))


def face_boxes(img):
    """Haar-cascade face boxes in a fixed order. OpenCV scans scales on a thread pool and returns the boxes in whatever
    order the threads finished, which reorders the face crops (and every random draw after them) from run to run: one
    thread, and the boxes sorted by position."""
    import cv2
    cv2.setNumThreads(1)
    cascade = cv2.CascadeClassifier(HAAR)
    gray = np.array(img.convert("L"))
    found = cascade.detectMultiScale(gray, 1.1, 5, minSize=(40, 40))
    return sorted(tuple(int(v) for v in f) for f in found)


def face_crop(img, box, rng):
    """A crop framed like the generated portraits: the face box enlarged 1.6-2.2x, jittered."""
    x, y, w, h = box
    side = w * rng.uniform(1.6, 2.2)
    cx = x + w / 2 + rng.uniform(-0.08, 0.08) * w
    cy = y + h / 2 + rng.uniform(-0.05, 0.12) * h
    left, top = int(cx - side / 2), int(cy - side / 2)
    left = min(max(left, 0), max(img.width - int(side), 0))
    top = min(max(top, 0), max(img.height - int(side), 0))
    side = int(min(side, img.width, img.height))
    return resize(img.crop((left, top, left + side, top + side)))


def video_frames(path, start, end, fps=2.0):
    probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                            "stream=width,height:format=duration", "-of", "csv=p=0:nk=1", path],
                           check=True, capture_output=True, text=True).stdout.replace(",", " ").split()
    w, h, duration = int(probe[0]), int(probe[1]), float(probe[2])
    raw = subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-ss", f"{start * duration:.3f}",
                          "-t", f"{(end - start) * duration:.3f}", "-i", path, "-vf", f"fps={fps}",
                          "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"], check=True, capture_output=True).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, h, w, 3)
    return [Image.fromarray(f) for f in frames]


# --- pseudo-fakes -------------------------------------------------------------------------------------------
def self_blend(src, rng):
    """Self-blended image: a colour- and geometry-shifted copy of a real crop pasted back through a soft mask,
    leaving the blending boundary and statistics mismatch of a face swap without any generator."""
    a = np.asarray(src, np.float32)
    t = src
    t = ImageEnhance.Color(t).enhance(rng.uniform(0.7, 1.3))
    t = ImageEnhance.Brightness(t).enhance(rng.uniform(0.85, 1.15))
    t = ImageEnhance.Contrast(t).enhance(rng.uniform(0.85, 1.15))
    scale = rng.uniform(0.94, 1.06)
    t = t.transform(t.size, Image.AFFINE, (1 / scale, 0, rng.uniform(-3, 3), 0, 1 / scale, rng.uniform(-3, 3)),
                    resample=Image.BILINEAR)
    if rng.random() < 0.5:
        t = t.resize((SIZE // 2, SIZE // 2), Image.BILINEAR).resize((SIZE, SIZE), Image.BILINEAR)
    b = np.asarray(t, np.float32)
    yy, xx = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32)
    cx, cy = SIZE / 2 + rng.uniform(-8, 8), SIZE / 2 + rng.uniform(-4, 10)
    ax, ay = rng.uniform(26, 46), rng.uniform(32, 52)
    mask = (((xx - cx) / ax) ** 2 + ((yy - cy) / ay) ** 2 <= 1).astype(np.float32)
    mask = ndimage.gaussian_filter(mask, rng.uniform(2, 8)) * rng.uniform(0.6, 1.0)
    out = mask[..., None] * b + (1 - mask[..., None]) * a
    return Image.fromarray(np.clip(out + 0.5, 0, 255).astype(np.uint8))


def upsampling_trace(src, rng):
    """Generator-like upsampling: shrink 2x, then enlarge with nearest-neighbour or a transposed convolution
    whose uneven kernel overlap leaves the periodic (checkerboard) spectrum peaks generators leave."""
    small = np.asarray(src.resize((SIZE // 2, SIZE // 2), Image.BOX), np.float32)
    if rng.random() < 0.35:
        up = small.repeat(2, axis=0).repeat(2, axis=1)
    else:
        z = np.zeros((SIZE, SIZE, 3), np.float32)
        z[::2, ::2] = small
        k = rng.uniform(0.5, 1.5, (3, 3)).astype(np.float32)
        k *= 4.0 / k.sum()
        up = np.stack([ndimage.convolve(z[..., c], k, mode="reflect") for c in range(3)], axis=-1)
    return Image.fromarray(np.clip(up + 0.5, 0, 255).astype(np.uint8))


# --- augmentation ---------------------------------------------------------------------------------------
def augment(img, rng):
    """Colour, downscale and JPEG, each with a fixed probability. Returns the image and whether to H.264 it."""
    if rng.random() < 0.5:
        img = ImageEnhance.Brightness(img).enhance(rng.uniform(0.8, 1.2))
        img = ImageEnhance.Contrast(img).enhance(rng.uniform(0.8, 1.2))
        img = ImageEnhance.Color(img).enhance(rng.uniform(0.7, 1.3))
    if rng.random() < 0.3:
        s = int(SIZE * rng.uniform(0.45, 0.9))
        img = img.resize((s, s), Image.BOX).resize((SIZE, SIZE), Image.BILINEAR)
    if rng.random() < 0.5:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=int(rng.integers(40, 96)))
        img = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    return img, rng.random() < 0.25


def h264_roundtrip(frames, crf):
    """Encodes frames as one H.264 stream with libx264 and decodes them back (the recompression of uploads)."""
    raw = np.stack(frames).tobytes()
    enc = subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-f", "rawvideo", "-pix_fmt", "rgb24",
                          "-s", f"{SIZE}x{SIZE}", "-r", "25", "-i", "pipe:0", "-c:v", "libx264", "-preset", "veryfast",
                          "-crf", str(crf), "-threads", "1", "-pix_fmt", "yuv420p", "-f", "h264", "pipe:1"],
                         input=raw, check=True, capture_output=True).stdout
    dec = subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-f", "h264", "-i", "pipe:0",
                          "-f", "rawvideo", "-pix_fmt", "rgb24", "-threads", "1", "pipe:1"],
                         input=enc, check=True, capture_output=True).stdout
    out = np.frombuffer(dec, np.uint8).reshape(-1, SIZE, SIZE, 3)
    assert len(out) == len(frames), "h264 round trip lost frames"
    return list(out)


# --- assembly -------------------------------------------------------------------------------------------
def split_samples(split, rng):
    plan = PLAN[split]
    samples = []  # (image, label, kind)
    for i in GAN_RANGES[split]:
        img = load_rgb(f"{NPM}/fake-avatars/package/avatars/png/{i}.png")
        samples.append((resize(img), 1, "gan"))
        for _ in range(plan["gan_variants"] - 1):
            w = img.width
            side = int(w * rng.uniform(0.75, 1.0))
            x, y = int(rng.integers(0, w - side + 1)), int(rng.integers(0, w - side + 1))
            samples.append((resize(img.crop((x, y, x + side, y + side))), 1, "gan"))
    faces = []
    for path in PHOTOS[split]:
        img = load_rgb(path)
        samples.append((resize(img), 0, "photo"))
        for _ in range(plan["photo_crops"]):
            samples.append((random_crop(img, rng), 0, "photo"))
        for box in face_boxes(img):
            for _ in range(plan["face_jitters"]):
                crop = face_crop(img, box, rng)
                faces.append(crop)
                samples.append((crop, 0, "face"))
    start, end = VIDEO_SPLITS[split]
    for frame in video_frames(VIDEO, start, end):
        samples.append((resize(frame), 0, "video"))
        for _ in range(plan["video_crops"]):
            samples.append((random_crop(frame, rng), 0, "video"))
    if plan["pseudo"]:
        reals = [s[0] for s in samples if s[1] == 0]
        for j in range(plan["pseudo"]):
            if j % 2 == 0:
                src = faces[int(rng.integers(0, len(faces)))] if faces and rng.random() < 0.7 else reals[int(rng.integers(0, len(reals)))]
                samples.append((self_blend(src, rng), 1, "self-blend"))
            else:
                samples.append((upsampling_trace(reals[int(rng.integers(0, len(reals)))], rng), 1, "upsampling"))
    return samples


def finish(samples, rng):
    images, h264 = [], []
    for img, _, _ in samples:
        out, want_h264 = augment(img, rng)
        images.append(np.asarray(out, np.uint8))
        h264.append(want_h264)
    chosen = [i for i, w in enumerate(h264) if w]
    for k in range(0, len(chosen), 48):
        group = chosen[k:k + 48]
        crf = int(rng.integers(20, 36))
        for idx, frame in zip(group, h264_roundtrip([images[i] for i in group], crf)):
            images[idx] = frame
    return np.stack(images)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    rng = np.random.default_rng(SEED)
    arrays = {}
    for split in ("train", "val", "test"):
        samples = split_samples(split, rng)
        x = finish(samples, rng)
        y = np.array([s[1] for s in samples], np.uint8)
        kinds = np.array([s[2] for s in samples])
        arrays[f"x_{split}"], arrays[f"y_{split}"], arrays[f"kind_{split}"] = x, y, kinds
        counts = {k: int((kinds == k).sum()) for k in sorted(set(kinds))}
        log(f"{split}: {len(y)} samples, {int(y.sum())} fake, {counts}")
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    np.savez(args.out, **arrays)
    log(f"wrote {args.out}")


if __name__ == "__main__":
    main()
