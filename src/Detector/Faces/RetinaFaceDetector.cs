using Provenance.Detector.Classification;
using Provenance.Inference;
using Provenance.Inference.ModelCards;

namespace Provenance.Detector.Faces;

/// <summary>A face found in a frame: its box in frame pixels and the detector's confidence.</summary>
public readonly record struct FaceBox(int X, int Y, int Width, int Height, double Confidence);

/// <summary>
/// Optional face detector: RetinaFace with a MobileNet-0.25 backbone (npm <c>retinaface@0.0.6</c>,
/// <c>mnet.25_v1.onnx</c> or <c>mnet.25_v2.onnx</c>). The weights come from InsightFace under non-commercial terms,
/// so the service runs without it; only these exact files (by SHA-256) are accepted. Input: one raw RGB image
/// (0-255) letterboxed into the model's square; outputs per stride (32, 16, 8): face probabilities for two anchors
/// per cell, box deltas and landmarks.
/// </summary>
public sealed class RetinaFaceDetector : IDisposable
{
    /// <summary>SHA-256 of the accepted model files.</summary>
    public static readonly IReadOnlyDictionary<string, string> KnownModels = new Dictionary<string, string>
    {
        ["a4bb1e33c921877ecccca2a2e757d44c4fb511ae84d85a833c5a77e6f2461744"] = "retinaface mnet.25_v1 (512x512)",
        ["cd1acf4887eff165497762346fcafbdec58f662a2ceb01e5edb979f54b9875b6"] = "retinaface mnet.25_v2 (640x640)",
    };

    private static readonly (int Stride, float[] Scales)[] Strides = [(32, [32f, 16f]), (16, [8f, 4f]), (8, [2f, 1f])];
    private static readonly float[] NoMean = [0f, 0f, 0f];
    private static readonly float[] Raw = [1f / 255f, 1f / 255f, 1f / 255f];

    private readonly InferenceSession session;
    private readonly string inputName;
    private readonly int side;
    private readonly string[] outputs;

    private RetinaFaceDetector(InferenceSession session, string description)
    {
        this.session = session;
        Description = description;
        var input = session.Inputs[0];
        inputName = input.Name;
        side = input.Dimensions.Count == 4 && input.Dimensions[3] > 0 ? (int)input.Dimensions[3] : 640;
        outputs = [.. Strides.SelectMany(s => new[]
        {
            $"face_rpn_cls_prob_reshape_stride{s.Stride}", $"face_rpn_bbox_pred_stride{s.Stride}",
        })];
    }

    public string Description { get; }

    /// <summary>Loads a known RetinaFace file.</summary>
    /// <exception cref="ModelCardException">The file is not one of <see cref="KnownModels"/>.</exception>
    public static async Task<RetinaFaceDetector> LoadAsync(string path, InferenceOptions? options, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        var hash = VerifiedModel.Sha256Hex(bytes);
        if (!KnownModels.TryGetValue(hash, out var description))
        {
            throw new ModelCardException($"Face detector {path} was refused: its SHA-256 {hash} is not a known RetinaFace model.");
        }
        return new RetinaFaceDetector(InferenceSessionFactory.Create(bytes, options), description);
    }

    /// <summary>Faces in the image with at least <paramref name="minConfidence"/>, after non-maximum suppression.</summary>
    public IReadOnlyList<FaceBox> Detect(RgbImage image, double minConfidence = 0.75, double overlap = 0.4, CancellationToken cancellationToken = default)
    {
        var scale = Math.Min((double)side / image.Width, (double)side / image.Height);
        var w = Math.Max(1, (int)Math.Round(image.Width * scale));
        var h = Math.Max(1, (int)Math.Round(image.Height * scale));
        var resized = new float[w * h * 3];
        AreaResize.ToTensor(image, w, h, NoMean, Raw, resized);
        var canvas = new float[3 * side * side];
        for (var c = 0; c < 3; c++)
        {
            for (var y = 0; y < h; y++)
            {
                resized.AsSpan(c * w * h + y * w, w).CopyTo(canvas.AsSpan(c * side * side + y * side));
            }
        }
        var results = session.Run([new NamedTensor(inputName, [1, 3, side, side], canvas)], outputs, cancellationToken);
        var candidates = new List<(float X0, float Y0, float X1, float Y1, float P)>();
        for (var s = 0; s < Strides.Length; s++)
        {
            Decode(Strides[s].Stride, Strides[s].Scales, results[2 * s], results[2 * s + 1], (float)minConfidence, candidates);
        }
        return Suppress(candidates, overlap)
            .Select(b => ToFrame(b, scale, image.Width, image.Height))
            .Where(f => f.Width >= 8 && f.Height >= 8)
            .ToList();
    }

    private static void Decode(int stride, float[] scales, NamedTensor scores, NamedTensor deltas, float minConfidence,
        List<(float, float, float, float, float)> into)
    {
        var rows = (int)deltas.Shape[2];
        var cols = (int)deltas.Shape[3];
        var plane = rows * cols;
        var anchors = scales.Length;
        var p = scores.Span;
        var d = deltas.Span;
        for (var a = 0; a < anchors; a++)
        {
            var size = 16f * scales[a]; // base size 16, ratio 1
            for (var y = 0; y < rows; y++)
            {
                for (var x = 0; x < cols; x++)
                {
                    var cell = y * cols + x;
                    var prob = p[(anchors + a) * plane + cell]; // second half of the channels: "face"
                    if (prob < minConfidence)
                    {
                        continue;
                    }
                    var cx = x * stride + 8f + size * d[(a * 4 + 0) * plane + cell];
                    var cy = y * stride + 8f + size * d[(a * 4 + 1) * plane + cell];
                    var bw = size * MathF.Exp(d[(a * 4 + 2) * plane + cell]);
                    var bh = size * MathF.Exp(d[(a * 4 + 3) * plane + cell]);
                    into.Add((cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2, prob));
                }
            }
        }
    }

    private static List<(float X0, float Y0, float X1, float Y1, float P)> Suppress(List<(float X0, float Y0, float X1, float Y1, float P)> boxes, double overlap)
    {
        var kept = new List<(float X0, float Y0, float X1, float Y1, float P)>();
        foreach (var b in boxes.OrderByDescending(b => b.P))
        {
            if (kept.Count >= 64)
            {
                break;
            }
            var areaB = (b.X1 - b.X0) * (b.Y1 - b.Y0);
            var clash = kept.Any(k =>
            {
                var iw = Math.Max(0, Math.Min(k.X1, b.X1) - Math.Max(k.X0, b.X0));
                var ih = Math.Max(0, Math.Min(k.Y1, b.Y1) - Math.Max(k.Y0, b.Y0));
                var inter = iw * ih;
                return inter / ((k.X1 - k.X0) * (k.Y1 - k.Y0) + areaB - inter) > overlap;
            });
            if (!clash)
            {
                kept.Add(b);
            }
        }
        return kept;
    }

    private static FaceBox ToFrame((float X0, float Y0, float X1, float Y1, float P) b, double scale, int width, int height)
    {
        var x0 = Math.Clamp((int)Math.Round(b.X0 / scale), 0, width - 1);
        var y0 = Math.Clamp((int)Math.Round(b.Y0 / scale), 0, height - 1);
        var x1 = Math.Clamp((int)Math.Round(b.X1 / scale), x0 + 1, width);
        var y1 = Math.Clamp((int)Math.Round(b.Y1 / scale), y0 + 1, height);
        return new FaceBox(x0, y0, x1 - x0, y1 - y0, Math.Round(b.P, 4));
    }

    public void Dispose() => session.Dispose();
}
