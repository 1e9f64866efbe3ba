"""The model card written beside the shipped baseline, in the format src/Inference's ModelCard reads (unknown keys
are refused there, so this writes exactly its fields)."""


def card_template(name, version, file, digest, input_size, threshold, target_fpr, val, test, by_kind, counts,
                  seed, epochs, torch_version):
    return {
        "name": name,
        "version": version,
        "file": file,
        "sha256": digest,
        "input": {
            "name": "input",
            "layout": "NCHW",
            "width": input_size,
            "height": input_size,
            "channels": 3,
            "colorOrder": "RGB",
            "mean": [0.5, 0.5, 0.5],
            "std": [0.5, 0.5, 0.5],
            "crop": "full-frame",
        },
        "output": {
            "name": "score",
            "kind": "probability",
            "positiveIndex": 0,
            "meaning": "Probability-like score in [0, 1] that the frame looks like the synthetic images of the "
                       "training set (StyleGAN2 face portraits, self-blended faces, generator-like upsampling); "
                       "frame scores are averaged into the clip score.",
        },
        "threshold": {
            "value": threshold,
            "falsePositiveRate": target_fpr,
            "calibrationSet": f"validation split: {val['real']} real images (held-out photographs, face crops, "
                              f"vtest.avi 70-80%) and {val['fake']} fake (fake-avatars 160-199)",
        },
        "training": {
            "data": "fake: npm fake-avatars 1.1.0 StyleGAN2 faces 0-159 (package MIT; the images are NVIDIA "
                    "StyleGAN2 output, non-commercial terms), plus self-blended and upsampled pseudo-fakes made "
                    "from the real training crops. real: npm @vladmandic/face-api 1.7.15 demo/sample1,2,6.jpg (MIT), "
                    "scikit-image data photographs (BSD-3-Clause package, public-domain/CC0 images), OpenCV sample "
                    "photographs and vtest.avi 0-70% (opencv-doc, BSD-3-Clause/Apache-2.0); faces cropped with "
                    "OpenCV's Haar cascade (opencv-data). Every sample recompressed (JPEG 40-95, H.264 CRF 20-35), "
                    f"downscaled and colour-shifted at random. Samples: {counts}.",
            "script": "training/train.sh",
            "notes": f"Seed {seed}, {epochs} epochs, AdamW + one-cycle, deterministic algorithms on 2 threads (two runs on "
                     "the same data give a byte-identical ONNX file; the data set builder is byte-for-byte reproducible), "
                     f"PyTorch {torch_version} (Debian python3-torch, CPU). 128x128 whole-image input (area-average "
                     "resize, aspect not kept); 7 conv blocks, global average pooling, sigmoid output.",
        },
        "licence": "Weights: this project's licence. The fake class is NVIDIA StyleGAN2 output under non-commercial "
                   "terms: treat the weights as research / non-commercial unless retrained on your own data.",
        "metrics": {
            "evaluationSet": "held-out test split: fake-avatars 200-262 (each whole and one random crop), "
                             "face-api sample5.jpg faces and crops, six unseen photographs, vtest.avi 80-100%; "
                             f"{test['real']} real, {test['fake']} fake. At the card threshold (calibrated for "
                             f"{target_fpr * 100:g}% FPR on validation): FPR {test['fprAtThreshold']:.4f}, "
                             f"TPR {test['tprAtThreshold']:.4f} on this test split; "
                             f"share flagged by kind {by_kind}.",
            "samples": test["real"] + test["fake"],
            "rocAuc": test["auc"],
            "equalErrorRate": test["eer"],
            "truePositiveRateAtFpr1Percent": test["tprAt1PctFpr"],
            "truePositiveRateAtFpr01Percent": test["tprAt01PctFpr"],
        },
        "limitations": "A baseline, not a general deepfake detector: trained on one GAN's face portraits against a "
                       "few hundred crops of a few dozen real sources. Expect misses on face swaps, diffusion and "
                       "video-generator output, and false positives on content unlike its real data (cartoons, CGI, "
                       "screen captures, heavy filters, very low resolution). With fewer than 1000 real test images "
                       "the 0.1% FPR figure allows no false positive at all.",
    }
