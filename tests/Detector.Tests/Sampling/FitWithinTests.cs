using Provenance.Detector.Sampling;

namespace Provenance.Detector.Tests.Sampling;

public sealed class FitWithinTests
{
    [Theory]
    [InlineData(1920, 1080, 640, 360)] // landscape: the height is the shorter side
    [InlineData(1080, 1920, 360, 640)] // portrait: the width is, so it keeps a landscape frame's detail
    [InlineData(4000, 400, 1280, 128)] // a very wide frame: the longer side's limit binds first
    [InlineData(320, 240, 320, 240)] // within both limits: kept as it is
    public void FitWithin_LimitsTheShorterAndTheLongerSide(int width, int height, int fittedWidth, int fittedHeight)
    {
        Assert.Equal((fittedWidth, fittedHeight), FrameSampler.FitWithin(width, height, maxSide: 1280, maxShorterSide: 360));
    }
}
