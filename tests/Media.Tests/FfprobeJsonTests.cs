namespace Provenance.Media.Tests;

/// <summary>Parsing recorded ffprobe output (Data/probe/*.json, captured from ffprobe 5.1).</summary>
public sealed class FfprobeJsonTests
{
    private static VideoProbe ParseRecorded(string name, long fileSize = 1234)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "probe", name));
        return FfprobeJson.Parse("/clips/" + name, bytes, fileSize);
    }

    [Fact]
    public void Parse_Mp4WithAudio_ReadsEveryField()
    {
        var probe = ParseRecorded("mp4_h264_aac_320x240_25fps.json");

        Assert.Equal("mov,mp4,m4a,3gp,3g2,mj2", probe.Container);
        Assert.Equal(320, probe.Width);
        Assert.Equal(240, probe.Height);
        Assert.Equal(new Rational(25, 1), probe.FrameRate);
        Assert.Equal(50, probe.FrameCount);
        Assert.Equal("h264", probe.Codec);
        Assert.Equal("yuv420p", probe.PixelFormat);
        Assert.True(probe.HasAudio);
        Assert.Equal(0, probe.Rotation);
        Assert.NotNull(probe.Duration);
        Assert.InRange(probe.Duration!.Value.TotalSeconds, 1.9, 2.1);
        Assert.True(probe.BitRate > 0);
        Assert.NotEqual(1234, probe.SizeBytes);
        Assert.Equal(0, probe.VideoStreamIndex);
    }

    [Fact]
    public void Parse_RotatedClip_ReportsRotationAndSwapsDisplaySize()
    {
        var probe = ParseRecorded("mp4_rotated_90.json");

        Assert.Contains(probe.Rotation, new[] { 90, 270 });
        Assert.Equal(320, probe.Width);
        Assert.Equal(240, probe.DisplayWidth);
        Assert.Equal(320, probe.DisplayHeight);
    }

    [Fact]
    public void Parse_AudioOnlyFile_IsNotAVideo()
    {
        var error = Assert.Throws<MediaException>(() => ParseRecorded("m4a_audio_only.json"));

        Assert.Equal(MediaErrorKind.NotAVideo, error.Kind);
        Assert.Contains("audio only", error.Message);
    }

    [Fact]
    public void Parse_Mp3WithCoverArt_DoesNotMistakeThePictureForVideo()
    {
        var error = Assert.Throws<MediaException>(() => ParseRecorded("mp3_with_cover_art.json"));

        Assert.Equal(MediaErrorKind.NotAVideo, error.Kind);
    }

    [Fact]
    public void Parse_WebmWithNtscRate_KeepsTheExactRationalAndEstimatesFrames()
    {
        var probe = ParseRecorded("webm_vp9_ntsc_rate.json");

        Assert.Equal("matroska,webm", probe.Container);
        Assert.Equal("vp9", probe.Codec);
        Assert.Equal(new Rational(30000, 1001), probe.FrameRate);
        Assert.Null(probe.FrameCount);
        Assert.Equal(30, probe.EstimatedFrameCount);
    }

    [Fact]
    public void Parse_HostileHeader_ParsesButDefaultLimitsRejectIt()
    {
        var probe = ParseRecorded("mp4_hostile_20000x20000_10h.json");
        Assert.Equal(20000, probe.Width);

        var error = Assert.Throws<MediaException>(() => MediaLimits.Default.Check(probe));

        Assert.Equal(MediaErrorKind.LimitExceeded, error.Kind);
        Assert.Contains("20000x20000", error.Message);
    }

    [Fact]
    public void Parse_FieldsOfTheWrongType_AreTreatedAsUnknown()
    {
        var probe = ParseRecorded("mp4_odd_field_types.json", fileSize: 777);

        Assert.Equal(new Rational(25, 1), probe.FrameRate); // falls back to r_frame_rate
        Assert.Null(probe.FrameCount);
        Assert.Null(probe.Duration);
        Assert.Equal(777, probe.SizeBytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[1,2,3]")]
    [InlineData("\"streams\"")]
    [InlineData("{\"streams\": 5, \"format\": \"x\"}")]
    [InlineData("{\"streams\": [{\"codec_type\": \"video\", \"width\": -5, \"height\": 10}]}")]
    [InlineData("{\"streams\": [{\"codec_type\": \"video\", \"width\": 1e300, \"height\": 10}]}")]
    [InlineData("{\"streams\": [{\"codec_type\": \"video\"}]}")]
    [InlineData("{}")]
    [InlineData("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]")]
    public void Parse_MalformedJson_ThrowsOnlyMediaException(string json)
    {
        var error = Assert.Throws<MediaException>(() => FfprobeJson.Parse("x.mp4", System.Text.Encoding.UTF8.GetBytes(json), 1));

        Assert.Contains(error.Kind, new[] { MediaErrorKind.ToolFailed, MediaErrorKind.NotAVideo, MediaErrorKind.Corrupt });
    }

    [Fact]
    public void Parse_EveryTruncationOfRecordedOutput_ThrowsOnlyMediaExceptionOrParses()
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "probe", "mp4_h264_aac_320x240_25fps.json"));
        for (var length = 0; length < bytes.Length; length += 7)
        {
            var error = Record.Exception(() => FfprobeJson.Parse("x.mp4", bytes.AsMemory(0, length), 1));
            Assert.True(error is null or MediaException, $"length {length}: {error}");
        }
    }

    [Theory]
    [InlineData("30000/1001", 30000, 1001)]
    [InlineData("25/1", 25, 1)]
    [InlineData("0/0", 0, 1)]
    [InlineData("29.97", 30000, 1001)]
    [InlineData("12.5", 12500, 1000)]
    [InlineData("abc", 0, 1)]
    [InlineData("-5/1", 0, 1)]
    [InlineData("5/-1", 0, 1)]
    [InlineData(null, 0, 1)]
    public void RationalParse_ReadsFfmpegRates(string? text, long numerator, long denominator)
    {
        Assert.Equal(new Rational(numerator, denominator), Rational.Parse(text));
    }
}
