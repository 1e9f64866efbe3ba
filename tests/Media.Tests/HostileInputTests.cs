using Provenance.Testing;

namespace Provenance.Media.Tests;

/// <summary>
/// Damaged copies of a real clip (truncated at many offsets, bytes flipped, header sizes made absurd): probing and
/// decoding either work or throw <see cref="MediaException"/>, always within the time limit and without leftover processes.
/// </summary>
public sealed class HostileInputTests : IDisposable
{
    private readonly FfmpegRunner _runner = new();
    private readonly TempFolder _temp = new();

    public void Dispose()
    {
        _runner.Dispose();
        _temp.Dispose();
    }

    public static TheoryData<string, int> Mutations()
    {
        var data = new TheoryData<string, int>();
        foreach (var fraction in new[] { 1, 8, 24, 50, 90, 200, 400, 700, 950, 999 })
        {
            data.Add("truncate", fraction);
        }
        for (var seed = 1; seed <= 8; seed++)
        {
            data.Add("flip", seed);
        }
        for (var seed = 1; seed <= 4; seed++)
        {
            data.Add("box-size", seed);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Mutations))]
    public async Task DamagedClip_ProbesAndDecodesOrFailsWithMediaException(string mutation, int parameter)
    {
        var clip = await TestClips.CreateAsync(TestClipKind.TestSource2, 192, 108, 1, 10, withAudio: true);
        var bytes = await File.ReadAllBytesAsync(clip);
        var damaged = Mutate(bytes, mutation, parameter);
        var path = _temp.File($"{mutation}-{parameter}.mp4");
        await File.WriteAllBytesAsync(path, damaged);
        var options = new FrameSourceOptions { PixelFormat = RawPixelFormat.Gray, Timeout = TimeSpan.FromSeconds(60) };

        var error = await Record.ExceptionAsync(async () =>
        {
            await foreach (var frame in new FrameSource(_runner).ReadFramesAsync(path, options, CancellationToken.None))
            {
                Assert.Equal(192 * 108, frame.Length);
                frame.Dispose();
            }
        });

        Assert.True(error is null or MediaException, $"{mutation} {parameter}: {error}");
        Assert.NotEqual(MediaErrorKind.Timeout, (error as MediaException)?.Kind);
        Assert.NotEqual(MediaErrorKind.ToolFailed, (error as MediaException)?.Kind);
        Assert.Empty(_runner.LiveProcessIds);
    }

    private static byte[] Mutate(byte[] original, string mutation, int parameter)
    {
        var bytes = (byte[])original.Clone();
        var random = new Random(parameter);
        switch (mutation)
        {
            case "truncate":
                return bytes[..Math.Max(1, (int)((long)bytes.Length * parameter / 1000))];
            case "flip":
                for (var i = 0; i < 40; i++)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }
                return bytes;
            case "box-size":
                // Overwrite the size field of a top-level box (ftyp, moov, ... in a +faststart file) with a huge or tiny value.
                var offset = 0;
                for (var hop = random.Next(3); hop > 0 && offset + 8 <= bytes.Length; hop--)
                {
                    offset += (int)Math.Max(8, (uint)(bytes[offset] << 24 | bytes[offset + 1] << 16 | bytes[offset + 2] << 8 | bytes[offset + 3]));
                }
                offset = Math.Min(offset, bytes.Length - 8);
                var value = parameter % 2 == 0 ? 0xFFFFFFF0u : 3u;
                bytes[offset] = (byte)(value >> 24);
                bytes[offset + 1] = (byte)(value >> 16);
                bytes[offset + 2] = (byte)(value >> 8);
                bytes[offset + 3] = (byte)value;
                return bytes;
            default:
                throw new ArgumentOutOfRangeException(nameof(mutation));
        }
    }
}
