namespace Provenance.Watermark.Tests.Support;

/// <summary>Wraps an embedder and measures what it changes.</summary>
internal sealed class MeasuringEmbedder(IWatermarkEmbedder inner) : IWatermarkEmbedder
{
    public double SquaredError { get; private set; }
    public long Pixels { get; private set; }
    public int MaxChange { get; private set; }

    public void Embed(Span<byte> luma, int width, int height, int stride, long frameIndex)
    {
        var before = luma[..(stride * (height - 1) + width)].ToArray();
        inner.Embed(luma, width, height, stride, frameIndex);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var d = luma[y * stride + x] - before[y * stride + x];
                SquaredError += d * d;
                MaxChange = Math.Max(MaxChange, Math.Abs(d));
            }
        Pixels += (long)width * height;
    }

    public double Psnr => SquaredError == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 * Pixels / SquaredError);
}
