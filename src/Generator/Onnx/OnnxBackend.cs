using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Provenance.Generator.Backends;
using Provenance.Generator.Frames;
using Provenance.Generator.Procedural;
using Provenance.Inference;

namespace Provenance.Generator.Onnx;

/// <summary>
/// Runs a user-provided frame-generation model (see <see cref="FrameModelCard"/>) with ONNX Runtime: the CUDA
/// execution provider when it loads, else the CPU. Noise is drawn from (prompt, seed) at one key per second
/// and blended smoothly between keys, so consecutive frames are coherent; the prompt also becomes a hashed
/// bag-of-words conditioning vector when the model takes one. Output frames are resized (bilinear) to the
/// requested size and converted to yuv420p.
/// </summary>
public sealed class OnnxBackend : IGenerationBackend, IDisposable
{
    public const string BackendName = "onnx";

    private readonly FrameModelCard _card;
    private readonly InferenceSession _session;

    private OnnxBackend(FrameModelCard card, InferenceSession session)
    {
        _card = card;
        _session = session;
    }

    public string Name => BackendName;

    public string ModelVersion => $"{_card.Name}/{_card.Version}";

    /// <summary>cuda or cpu: the execution provider ONNX Runtime actually uses.</summary>
    public string Device => _session.UsesCuda ? "cuda" : "cpu";

    /// <summary>Why CUDA was not used, when it was wanted.</summary>
    public string? CudaFallbackReason => _session.CudaFallbackReason;

    /// <summary>Loads <paramref name="modelPath"/> and its card (<c>MODEL.onnx.frames.json</c>), checking hash and graph contract.</summary>
    public static OnnxBackend Load(string modelPath, InferenceOptions? options = null)
    {
        var cardPath = modelPath + FrameModelCard.Suffix;
        if (!File.Exists(cardPath))
        {
            throw new GenerationRequestException($"model card {cardPath} is missing");
        }
        var card = FrameModelCard.Parse(File.ReadAllText(cardPath));
        var bytes = File.ReadAllBytes(modelPath);
        return Create(bytes, card, options);
    }

    public static OnnxBackend Create(byte[] model, FrameModelCard card, InferenceOptions? options = null)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(model));
        if (!string.Equals(hash, card.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new GenerationRequestException($"model hash {hash} does not match its card ({card.Sha256})");
        }
        var session = InferenceSessionFactory.Create(model, options);
        try
        {
            Require(session.Inputs.Select(i => i.Name), card.Noise.Name, "input");
            if (card.Conditioning is { } c)
            {
                Require(session.Inputs.Select(i => i.Name), c.Name, "input");
            }
            if (card.TimeInput is { } t)
            {
                Require(session.Inputs.Select(i => i.Name), t, "input");
            }
            Require(session.Outputs.Select(o => o.Name), card.Output.Name, "output");
            return new OnnxBackend(card, session);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static void Require(IEnumerable<string> names, string name, string what)
    {
        if (!names.Contains(name, StringComparer.Ordinal))
        {
            throw new GenerationRequestException($"the model has no {what} named '{name}' (its {what}s: {string.Join(", ", names)})");
        }
    }

    public async IAsyncEnumerable<YuvFrame> GenerateAsync(GenerationRequest request, FramePool pool, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        request.Validate();
        var noise = new NoiseSchedule(request, _card.Noise);
        var conditioning = _card.Conditioning is { } c ? PromptConditioning(request.Prompt, c.Size) : null;
        var batch = _card.Batch;
        var frameValues = _card.Output.Channels * _card.Output.Height * _card.Output.Width;
        for (var start = 0; start < request.FrameCount; start += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var first = start;
            var outputs = await Task.Run(() => RunBatch(first, request, noise, conditioning, cancellationToken), cancellationToken).ConfigureAwait(false);
            for (var k = 0; k < batch && start + k < request.FrameCount; k++)
            {
                var frame = pool.Rent(request.Width, request.Height, start + k);
                try
                {
                    FrameConversion.RgbPlanarToYuv(outputs.Slice(k * frameValues, frameValues).Span, _card.Output.Width, _card.Output.Height, _card.Output.Range, frame);
                }
                catch
                {
                    frame.Dispose();
                    throw;
                }
                yield return frame;
            }
        }
    }

    private ReadOnlyMemory<float> RunBatch(int first, GenerationRequest request, NoiseSchedule noise, float[]? conditioning, CancellationToken cancellationToken)
    {
        var batch = _card.Batch;
        var n = _card.Noise;
        var perFrame = n.Channels * n.Height * n.Width;
        var noiseData = new float[batch * perFrame];
        for (var k = 0; k < batch; k++)
        {
            noise.Fill(Math.Min(first + k, request.FrameCount - 1), noiseData.AsSpan(k * perFrame, perFrame));
        }
        var inputs = new List<NamedTensor> { new(n.Name, [batch, n.Channels, n.Height, n.Width], noiseData) };
        if (_card.Conditioning is { } c)
        {
            var cond = new float[batch * c.Size];
            for (var k = 0; k < batch; k++)
            {
                conditioning!.CopyTo(cond, k * c.Size);
            }
            inputs.Add(new NamedTensor(c.Name, [batch, c.Size], cond));
        }
        if (_card.TimeInput is { } t)
        {
            var times = Enumerable.Range(0, batch).Select(k => (float)((first + k) / (double)request.Fps)).ToArray();
            inputs.Add(new NamedTensor(t, [batch, 1], times));
        }
        var outputs = _session.Run(inputs, cancellationToken);
        var output = outputs.FirstOrDefault(o => o.Name == _card.Output.Name)
            ?? throw new GenerationRequestException($"the model returned no '{_card.Output.Name}'");
        var expected = batch * _card.Output.Channels * _card.Output.Height * _card.Output.Width;
        if (output.Data.Length != expected)
        {
            throw new GenerationRequestException($"the model returned {output.Data.Length} values for '{output.Name}', its card declares {expected}");
        }
        return output.Data;
    }

    /// <summary>A unit vector: each word of the prompt adds ±1 at a slot chosen by its hash.</summary>
    internal static float[] PromptConditioning(string prompt, int size)
    {
        var v = new float[size];
        foreach (var word in PromptSceneParser.Tokenise(prompt))
        {
            var h = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(word));
            v[BitConverter.ToUInt32(h, 0) % (uint)size] += (h[4] & 1) == 0 ? 1 : -1;
        }
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        if (norm > 0)
        {
            for (var i = 0; i < size; i++)
            {
                v[i] /= norm;
            }
        }
        return v;
    }

    public void Dispose() => _session.Dispose();

    /// <summary>Gaussian noise keys one second apart, blended with a smooth (cosine) weight between keys.</summary>
    private sealed class NoiseSchedule(GenerationRequest request, NoiseInput shape)
    {
        private readonly Dictionary<int, float[]> _keys = [];

        public void Fill(int frame, Span<float> destination)
        {
            var position = frame / (double)request.Fps;
            var key = (int)Math.Floor(position);
            var w = (float)(0.5 - 0.5 * Math.Cos(Math.PI * (position - key)));
            var a = Key(key);
            var b = Key(key + 1);
            // Keep unit variance while blending: divide by the norm of the weights.
            var scale = 1f / MathF.Sqrt((1 - w) * (1 - w) + w * w);
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] = ((1 - w) * a[i] + w * b[i]) * scale;
            }
        }

        private float[] Key(int index)
        {
            if (_keys.TryGetValue(index, out var key))
            {
                return key;
            }
            _keys.Remove(index - 2);
            var random = DeterministicRandom.FromPrompt(request.Prompt, request.Seed, $"onnx-noise/{index}");
            key = new float[shape.Channels * shape.Height * shape.Width];
            for (var i = 0; i < key.Length; i++)
            {
                // Box-Muller.
                var u1 = Math.Max(random.NextDouble(), 1e-12);
                var u2 = random.NextDouble();
                key[i] = (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
            }
            _keys[index] = key;
            return key;
        }
    }
}
