namespace Provenance.Watermark.Tests;

/// <summary>The regions host feedback tunes separately: centred rectangles, so a centred crop keeps whole regions, and a
/// cross-fade between their patterns whose weights always add up to one (the pattern keeps its size across a bound).</summary>
public sealed class FeedbackRegionsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Weights_AddUpToOne_AndEachPixelOutsideTheBlendBelongsToOneRegion(int count)
    {
        var options = WatermarkOptions.Default with { FeedbackRegions = count };
        Assert.Equal(count, FeedbackRegions.Count(options));
        for (var d = 0.0; d <= 1.0; d += 0.001)
        {
            var weights = Enumerable.Range(0, count).Select(k => FeedbackRegions.Weight(d, k, count)).ToArray();
            Assert.Equal(1.0, weights.Sum(), 5);
            Assert.All(weights, w => Assert.InRange(w, 0f, 1f));
            var region = FeedbackRegions.Of(d, count);
            if (weights.Max() == 1f) Assert.Equal(1f, weights[region]);
        }
    }

    [Fact]
    public void TwoRegions_SplitAtACentredCropOfTenPercentPerSide()
    {
        // crop_10pct keeps the middle 80 % of the width and height: exactly the distances below 0.8.
        Assert.Equal(0, FeedbackRegions.Of(FeedbackRegions.Distance(128, 1280), 2)); // first column the crop keeps
        Assert.Equal(1, FeedbackRegions.Of(FeedbackRegions.Distance(127, 1280), 2)); // last column it drops
        Assert.Equal(0, FeedbackRegions.Of(FeedbackRegions.Distance(360, 720), 2));  // the centre
        Assert.Equal(1, FeedbackRegions.Of(FeedbackRegions.Distance(0, 720), 2));    // the edge
        Assert.Equal(1f, FeedbackRegions.Weight(0.7, 0, 2));
        Assert.Equal(1f, FeedbackRegions.Weight(0.9, 1, 2));
        Assert.Equal(0.5f, FeedbackRegions.Weight(0.8, 0, 2), 5);
    }

    [Fact]
    public void OutOfRangeCounts_AreClampedToTheFormsThatExist_AndNoFeedbackMeansOneRegion()
    {
        Assert.Equal(1, FeedbackRegions.Count(WatermarkOptions.Default with { FeedbackRegions = 0 }));
        Assert.Equal(3, FeedbackRegions.Count(WatermarkOptions.Default with { FeedbackRegions = 9 }));
        Assert.Equal(1, FeedbackRegions.Count(WatermarkOptions.Default with { HostCancellation = 0 }));
    }
}
