using System.Globalization;
using System.Runtime.CompilerServices;
using Provenance.Generator.Backends;
using Provenance.Generator.Frames;
using Provenance.Generator.Pipeline;
using Provenance.Media;

namespace Provenance.Generator.Operations;

/// <summary>How a still image is animated.</summary>
public enum AnimationMotion
{
    /// <summary>A slow push-in toward the centre (Ken Burns).</summary>
    Zoom,
    /// <summary>A sideways pan across the image at a fixed zoom.</summary>
    Pan,
    /// <summary>Push-in and pan together, the near-parallax look of a dolly move.</summary>
    Parallax,
}

/// <summary>
/// The ffmpeg-based operations: animate a still, extend a clip, raise its frame rate, import a clip made
/// elsewhere. Each yields a <see cref="FrameStream"/> for <see cref="StampingPipeline.StampAsync"/>, so their
/// output is watermarked, signed and recorded exactly like generated clips. Inputs are probed and held to
/// <see cref="GenerationLimits"/>.
/// </summary>
public sealed class ClipOperations
{
    private readonly FfmpegRunner _runner;
    private readonly VideoProber _prober;

    public ClipOperations(FfmpegRunner runner)
    {
        _runner = runner ?? throw new ArgumentNullException(nameof(runner));
        _prober = new VideoProber(runner);
    }

    /// <summary>Animates a still image for <paramref name="seconds"/> with ffmpeg's <c>zoompan</c>.</summary>
    public FrameStream Animate(string imagePath, int width, int height, int fps, double seconds, AnimationMotion motion)
    {
        var request = new GenerationRequest("animate", 0, width, height, fps, seconds).Validate();
        var args = new List<string> { "-loop", "1", "-i", "file:" + Path.GetFullPath(imagePath), "-vf", AnimationFilter(width, height, fps, request.FrameCount, motion) };
        var frames = FfmpegFrameStream.ReadAsync(_runner, args, width, height, request.FrameCount, imagePath, CancellationToken.None);
        return new FrameStream(frames, width, height, fps, request.FrameCount, "animate", "cpu", $"ffmpeg-zoompan/{motion.ToString().ToLowerInvariant()}");
    }

    /// <summary>
    /// The clip followed by <paramref name="seconds"/> of continuation. The continuation starts from the
    /// clip's last frame and keeps the camera moving (a slow push-in with a drift), so the clip goes on
    /// without looping or playing backwards; the whole result is stamped as a new clip.
    /// </summary>
    public async Task<FrameStream> ExtendAsync(string clipPath, double seconds, string workFolder, CancellationToken cancellationToken)
    {
        var probe = await ProbeWithinLimitsAsync(clipPath, cancellationToken).ConfigureAwait(false);
        var fps = RoundedFps(probe);
        var (width, height) = (Even(probe.DisplayWidth), Even(probe.DisplayHeight));
        var original = (int)Math.Round((probe.Duration?.TotalSeconds ?? 0) * fps);
        var extra = new GenerationRequest("extend", 0, width, height, fps, seconds).Validate().FrameCount;
        if ((original + extra) / (double)fps > GenerationLimits.MaxSeconds + 1e-9)
        {
            throw new GenerationRequestException($"the extended clip would last {(original + extra) / (double)fps:F1} s, more than {GenerationLimits.MaxSeconds} s");
        }
        Directory.CreateDirectory(workFolder);
        var lastFrame = Path.Combine(workFolder, $".provenance-last-{Guid.NewGuid():N}.png");
        var grab = await _runner.RunAsync(FfmpegTool.Ffmpeg,
            ["-hide_banner", "-nostdin", "-v", "error", "-sseof", "-1", "-i", "file:" + Path.GetFullPath(clipPath), "-map", "0:v:0",
             "-vf", $"scale={width}:{height}", "-update", "1", "-y", "file:" + lastFrame],
            new FfmpegStartOptions { SubjectPath = clipPath }, cancellationToken).ConfigureAwait(false);
        if (grab.ExitCode != 0 || !File.Exists(lastFrame))
        {
            throw new MediaException(MediaErrorKind.ToolFailed, $"could not read the last frame of '{clipPath}'", clipPath, grab.StderrTail);
        }
        var head = FfmpegFrameStream.ReadAsync(_runner, DecodeArguments(clipPath, width, height, fps), width, height, Math.Max(1, original), clipPath, cancellationToken);
        var tail = FfmpegFrameStream.ReadAsync(_runner, ["-loop", "1", "-i", "file:" + lastFrame, "-vf", AnimationFilter(width, height, fps, extra, AnimationMotion.Parallax)],
            width, height, extra, lastFrame, cancellationToken);
        return new FrameStream(Concat(head, tail, lastFrame), width, height, fps, original + extra, "extend", "cpu", "ffmpeg-continuation/1");
    }

    /// <summary>Raises (or lowers) the frame rate with motion-compensated interpolation (<c>minterpolate</c>).</summary>
    public async Task<FrameStream> InterpolateAsync(string clipPath, int fps, CancellationToken cancellationToken)
    {
        var probe = await ProbeWithinLimitsAsync(clipPath, cancellationToken).ConfigureAwait(false);
        var (width, height) = (Even(probe.DisplayWidth), Even(probe.DisplayHeight));
        var request = new GenerationRequest("interpolate", 0, width, height, fps, Math.Max(probe.Duration?.TotalSeconds ?? 0, 1.0 / fps)).Validate();
        var args = new List<string>
        {
            "-i", "file:" + Path.GetFullPath(clipPath), "-map", "0:v:0",
            "-vf", Invariant($"minterpolate=fps={fps}:mi_mode=mci:mc_mode=aobmc:me_mode=bidir:vsbmc=1,scale={width}:{height}"),
        };
        var frames = FfmpegFrameStream.ReadAsync(_runner, args, width, height, request.FrameCount + fps, clipPath, cancellationToken);
        return new FrameStream(frames, width, height, fps, request.FrameCount, "interpolate", "cpu", "ffmpeg-minterpolate/mci");
    }

    /// <summary>Decodes a clip made elsewhere so it can be stamped as it is (frame rate rounded to a whole number).</summary>
    public async Task<FrameStream> ImportAsync(string clipPath, CancellationToken cancellationToken)
    {
        var probe = await ProbeWithinLimitsAsync(clipPath, cancellationToken).ConfigureAwait(false);
        var fps = RoundedFps(probe);
        var (width, height) = (Even(probe.DisplayWidth), Even(probe.DisplayHeight));
        var count = (int)Math.Round((probe.Duration?.TotalSeconds ?? 1) * fps);
        var frames = FfmpegFrameStream.ReadAsync(_runner, DecodeArguments(clipPath, width, height, fps), width, height, count + fps, clipPath, cancellationToken);
        return new FrameStream(frames, width, height, fps, count, "import", "cpu", "import/1") { ParentClipPath = Path.GetFullPath(clipPath) };
    }

    private async Task<VideoProbe> ProbeWithinLimitsAsync(string clipPath, CancellationToken cancellationToken)
    {
        var probe = await _prober.ProbeAsync(clipPath, null, cancellationToken).ConfigureAwait(false);
        var w = probe.DisplayWidth;
        var h = probe.DisplayHeight;
        if (Math.Max(w, h) > GenerationLimits.MaxLongSide || Math.Min(w, h) > GenerationLimits.MaxShortSide)
        {
            throw new GenerationRequestException($"'{clipPath}' is {w}x{h}, larger than 1920x1080");
        }
        if (probe.Duration is { } d && d.TotalSeconds > GenerationLimits.MaxSeconds + 0.5)
        {
            throw new GenerationRequestException($"'{clipPath}' lasts {d.TotalSeconds:F1} s, more than {GenerationLimits.MaxSeconds} s");
        }
        return probe;
    }

    private static List<string> DecodeArguments(string clipPath, int width, int height, int fps) =>
        ["-i", "file:" + Path.GetFullPath(clipPath), "-map", "0:v:0", "-vf", Invariant($"fps={fps},scale={width}:{height}")];

    /// <summary>zoompan over an image scaled to twice the output width (so sub-pixel motion stays smooth).</summary>
    internal static string AnimationFilter(int width, int height, int fps, int frames, AnimationMotion motion)
    {
        var zoomStep = 0.4 / Math.Max(1, frames);
        var (z, x, y) = motion switch
        {
            AnimationMotion.Pan => ("1.25", Invariant($"(iw-iw/zoom)*on/{Math.Max(1, frames - 1)}"), "ih/2-(ih/zoom/2)"),
            AnimationMotion.Parallax => (Invariant($"min(1+{zoomStep:0.######}*on,1.4)"), Invariant($"iw/2-(iw/zoom/2)+iw*0.08*on/{Math.Max(1, frames)}"), "ih/2-(ih/zoom/2)"),
            _ => (Invariant($"min(1+{zoomStep:0.######}*on,1.4)"), "iw/2-(iw/zoom/2)", "ih/2-(ih/zoom/2)"),
        };
        return Invariant($"scale={width * 2}:{height * 2}:force_original_aspect_ratio=increase,crop={width * 2}:{height * 2},zoompan=z='{z}':x='{x}':y='{y}':d={frames}:s={width}x{height}:fps={fps},format=yuv420p");
    }

    private static async IAsyncEnumerable<YuvFrame> Concat(IAsyncEnumerable<YuvFrame> head, IAsyncEnumerable<YuvFrame> tail, string cleanup,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        try
        {
            var index = 0;
            await foreach (var frame in head.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                frame.Index = index++;
                yield return frame;
            }
            await foreach (var frame in tail.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                frame.Index = index++;
                yield return frame;
            }
        }
        finally
        {
            File.Delete(cleanup);
        }
    }

    private static int RoundedFps(VideoProbe probe) => Math.Clamp((int)Math.Round(probe.FrameRate.ToDouble()), 1, 60);

    private static int Even(int v) => v & ~1;

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
