using Provenance.Generator.Backends;

namespace Provenance.Generator.Tests.Procedural;

public sealed class GenerationRequestTests
{
    [Theory]
    [InlineData(1920, 1080, 30, 60.0)]
    [InlineData(1080, 1920, 24, 1.0)]
    [InlineData(1280, 720, 25, 10.0)]
    [InlineData(16, 16, 24, 0.04)]
    public void RequestsWithinLimits_Validate(int width, int height, int fps, double seconds)
    {
        var request = new GenerationRequest("a cat", 0, width, height, fps, seconds);
        Assert.Same(request, request.Validate());
    }

    [Theory]
    [InlineData(1921, 1080, 30, 1.0, "even")]
    [InlineData(2048, 1080, 30, 1.0, "outside")]
    [InlineData(1920, 1200, 30, 1.0, "outside")]
    [InlineData(1280, 720, 60, 1.0, "frame rate")]
    [InlineData(1280, 720, 29, 1.0, "frame rate")]
    [InlineData(1280, 720, 30, 60.5, "duration")]
    [InlineData(1280, 720, 30, 0.0, "duration")]
    [InlineData(1280, 720, 30, double.NaN, "duration")]
    [InlineData(1280, 721, 30, 1.0, "even")]
    public void RequestsBeyondLimits_AreRefusedWithTheReason(int width, int height, int fps, double seconds, string reason)
    {
        var ex = Assert.Throws<GenerationRequestException>(() => new GenerationRequest("a cat", 0, width, height, fps, seconds).Validate());
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public void EmptyPrompt_IsRefused() =>
        Assert.Throws<GenerationRequestException>(() => new GenerationRequest("  ", 0, 64, 64, 24, 1).Validate());

    [Theory]
    [InlineData("1920x1080", 1920, 1080)]
    [InlineData(" 640X360 ", 640, 360)]
    public void Sizes_Parse(string text, int width, int height) =>
        Assert.Equal((width, height), GenerationRequest.ParseSize(text));

    [Fact]
    public void MalformedSize_IsRefused() =>
        Assert.Throws<GenerationRequestException>(() => GenerationRequest.ParseSize("big"));

    [Fact]
    public void FrameCount_IsSecondsTimesRate() =>
        Assert.Equal(1800, new GenerationRequest("a", 0, 64, 64, 30, 60).FrameCount);
}
