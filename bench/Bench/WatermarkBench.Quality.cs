using Provenance.Watermark;

namespace Provenance.Bench;

internal static partial class WatermarkBench
{
    /// <summary>One clip's quality figures (PSNR-Y in dB, SSIM of luma): the marked encode against the unmarked encode
    /// (the target's measure), the codec-floor encode against the unmarked encode (the same measure for a change of the
    /// mark's size that is not the mark), and both real encodes against the source frames they were made from.</summary>
    private sealed record ClipQuality(string Clip, double Psnr, double Ssim, double FloorAlone, double FloorPsnr, double FloorSsim,
        double MarkedSourcePsnr, double MarkedSourceSsim, double PlainSourcePsnr, double PlainSourceSsim)
    {
        public Dictionary<string, object?> ToFigures() => new()
        {
            ["psnr_db"] = Round(Psnr, 2),
            ["psnr_codec_floor_db"] = Round(FloorPsnr, 2),
            ["ssim"] = Round(Ssim, 4),
            ["ssim_codec_floor"] = Round(FloorSsim, 4),
            ["psnr_source_marked_db"] = Round(MarkedSourcePsnr, 2),
            ["psnr_source_unmarked_db"] = Round(PlainSourcePsnr, 2),
            ["ssim_source_marked"] = Round(MarkedSourceSsim, 4),
            ["ssim_source_unmarked"] = Round(PlainSourceSsim, 4),
        };
    }

    /// <summary>
    /// The codec-floor reference: a change to the source frames that is not the mark but is exactly as large. Each frame
    /// is marked to learn the mark's change d per pixel; then every changed pixel gets |d| with a keyed random sign
    /// instead (independent per pixel and frame; a pixel whose flipped value would leave 0-255 keeps the mark's sign).
    /// The result has the mark's magnitude, placement (its perceptual mask) and MSE, pixel by pixel and frame by frame,
    /// but none of its structure: white noise under the mark's envelope, no cells, no tiles, no payload. Encoded with
    /// the same x264 settings and compared with the unmarked encode, it measures how far two encodes of inputs that
    /// differ by a change of the mark's size drift apart on that clip: the codec's own floor, which the marked encode
    /// is judged against.
    /// </summary>
    private sealed class CodecFloorPerturbation(IWatermarkEmbedder mark, ulong seed) : IWatermarkEmbedder
    {
        private byte[] _before = [];

        public void Embed(Span<byte> luma, int width, int height, int stride, long frameIndex)
        {
            var length = (height - 1) * stride + width;
            if (_before.Length < length) _before = new byte[length];
            luma[..length].CopyTo(_before);
            mark.Embed(luma, width, height, stride, frameIndex);
            var state = seed ^ ((ulong)frameIndex * 0x9E3779B97F4A7C15UL);
            ulong bits = 0; var left = 0;
            for (var y = 0; y < height; y++)
            {
                var row = y * stride;
                for (var x = 0; x < width; x++)
                {
                    var p = row + x;
                    var d = luma[p] - _before[p];
                    if (d == 0) continue;
                    if (left == 0) { bits = SplitMix64(ref state); left = 64; }
                    var flip = (bits & 1) != 0;
                    bits >>= 1; left--;
                    var flipped = _before[p] - d;
                    if (flip && flipped is >= 0 and <= 255) luma[p] = (byte)flipped;
                }
            }
        }

        private static ulong SplitMix64(ref ulong state)
        {
            var z = state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
