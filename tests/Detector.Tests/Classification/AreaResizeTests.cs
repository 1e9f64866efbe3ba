using Provenance.Detector.Classification;

namespace Provenance.Detector.Tests.Classification;

public sealed class AreaResizeTests
{
    private static readonly float[] Identity = [0f, 0f, 0f];
    private static readonly float[] Unit = [1f / 255f, 1f / 255f, 1f / 255f]; // value = pixel exactly

    [Fact]
    public void ToTensor_HalvingAveragesEachTwoByTwoBlockPerChannel()
    {
        // 4x2 image: left block red 0/40/80/120 in R, right block 200 in G.
        byte[] px =
        [
            0, 0, 0, 40, 0, 0, 0, 200, 0, 0, 200, 0,
            80, 0, 0, 120, 0, 0, 0, 200, 0, 0, 200, 0,
        ];
        var dst = new float[2 * 1 * 3];
        AreaResize.ToTensor(new RgbImage(4, 2, px), 2, 1, Identity, Unit, dst);
        // Planar: R plane [60, 0], G plane [0, 200], B plane [0, 0].
        Assert.Equal([60f, 0f, 0f, 200f, 0f, 0f], dst.Select(v => MathF.Round(v, 3)).ToArray());
    }

    [Fact]
    public void ToTensor_AppliesTheCardsNormalisation()
    {
        byte[] px = [255, 0, 51];
        var dst = new float[3];
        AreaResize.ToTensor(new RgbImage(1, 1, px), 1, 1, [0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.25f], dst);
        Assert.Equal(1f, dst[0], 5);
        Assert.Equal(-1f, dst[1], 5);
        Assert.Equal((0.2f - 0.5f) / 0.25f, dst[2], 5);
    }

    [Fact]
    public void ToTensor_InterleavedBgrPutsChannelsInTheCardsOrder()
    {
        byte[] px = [10, 20, 30];
        var dst = new float[3];
        AreaResize.ToTensor(new RgbImage(1, 1, px), 1, 1, Identity, Unit, dst, planar: false, bgr: true);
        Assert.Equal([30f, 20f, 10f], dst.Select(v => MathF.Round(v, 3)).ToArray());
    }

    [Theory]
    [InlineData(1920, 128)]
    [InlineData(257, 128)]
    [InlineData(100, 128)]
    [InlineData(128, 128)]
    [InlineData(3, 7)]
    public void Taps_WeightsOfEveryOutputSumToOne(int inSize, int outSize)
    {
        foreach (var (first, weights) in AreaResize.Taps(inSize, outSize))
        {
            Assert.InRange(first, 0, inSize - 1);
            Assert.InRange(first + weights.Length - 1, 0, inSize - 1);
            Assert.Equal(1.0, weights.Sum(), 5);
        }
    }

    [Fact]
    public void ToTensor_UniformImageStaysUniformAtAnyScale()
    {
        var px = Enumerable.Repeat((byte)77, 333 * 171 * 3).ToArray();
        var dst = new float[128 * 128 * 3];
        AreaResize.ToTensor(new RgbImage(333, 171, px), 128, 128, Identity, Unit, dst);
        Assert.All(dst, v => Assert.Equal(77f, v, 3));
    }

    [Fact]
    public void RgbImage_WithWrongByteCount_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new RgbImage(2, 2, new byte[11]));
    }
}
