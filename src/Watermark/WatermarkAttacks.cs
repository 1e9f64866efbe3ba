namespace Provenance.Watermark;

/// <summary>What a result on an attack is held to.</summary>
public enum AttackTarget
{
    /// <summary>Exact payload in ≥ 99% of clips.</summary>
    Recover99,
    /// <summary>Exact payload in ≥ 95% of clips.</summary>
    Recover95,
    /// <summary>Reported, no target yet.</summary>
    ReportOnly,
}

/// <summary>
/// One attack: ffmpeg output arguments applied to an encoded, marked clip (<c>ffmpeg -i IN ARGS OUT.mkv</c>).
/// Filter-only attacks write losslessly (FFV1) so the attack itself is measured, not a codec after it.
/// </summary>
public sealed record WatermarkAttack(string Name, AttackTarget Target, IReadOnlyList<string> Arguments)
{
    /// <summary>Output container extension for the attacked file.</summary>
    public string Extension => Arguments.Contains("mjpeg") ? "avi" : "mkv";
}

/// <summary>The attack suites as data, shared by tests and benchmarks.</summary>
public static class WatermarkAttacks
{
    private static readonly string[] Lossless = ["-c:v", "ffv1", "-level", "3", "-pix_fmt", "yuv420p"];

    private static string[] X264(int crf) => ["-c:v", "libx264", "-crf", crf.ToString(System.Globalization.CultureInfo.InvariantCulture), "-preset", "medium", "-pix_fmt", "yuv420p"];

    private static WatermarkAttack Filter(string name, AttackTarget target, string filter) =>
        new(name, target, ["-vf", filter, .. Lossless]);

    private static WatermarkAttack FilterThen(string name, AttackTarget target, string filter, string[] codec) =>
        new(name, target, ["-vf", filter, .. codec]);

    private static string Brightness(double f) =>
        $"format=gbrp,lutrgb=r='clip(val*{f},0,255)':g='clip(val*{f},0,255)':b='clip(val*{f},0,255)',format=yuv420p";

    /// <summary>The platform attack table of the watermark design (clips assumed 30 fps).</summary>
    public static IReadOnlyList<WatermarkAttack> Platform { get; } =
    [
        new("identity", AttackTarget.Recover99, ["-c", "copy"]),
        new("h264_crf23", AttackTarget.Recover99, X264(23)),
        new("h264_crf28", AttackTarget.Recover99, X264(28)),
        new("h264_crf35", AttackTarget.Recover95, X264(35)),
        new("h265_crf28", AttackTarget.Recover99, ["-c:v", "libx265", "-crf", "28", "-pix_fmt", "yuv420p", "-x265-params", "log-level=error"]),
        new("vp9_crf40", AttackTarget.Recover99, ["-c:v", "libvpx-vp9", "-crf", "40", "-b:v", "0", "-row-mt", "1", "-deadline", "good", "-cpu-used", "4"]),
        new("av1_crf40", AttackTarget.Recover99, ["-c:v", "libsvtav1", "-crf", "40", "-preset", "8"]),
        FilterThen("platform_720p", AttackTarget.Recover99, "scale=-2:720", X264(23)),
        FilterThen("platform_720p_crf28", AttackTarget.Recover99, "scale=-2:720", X264(28)),
        FilterThen("platform_480p", AttackTarget.Recover99, "scale=-2:480", X264(23)),
        FilterThen("downscale_0.5x", AttackTarget.Recover99, "scale=trunc(iw/4)*2:trunc(ih/4)*2", X264(23)),
        Filter("crop_10pct", AttackTarget.Recover99, "crop=trunc(iw*0.4)*2:trunc(ih*0.4)*2"),
        Filter("crop_25pct", AttackTarget.Recover95, "crop=trunc(iw*0.25)*2:trunc(ih*0.25)*2:iw*0.1:ih*0.2"),
        Filter("brightness_+0.1", AttackTarget.Recover99, "eq=brightness=0.1"),
        Filter("brightness_-0.1", AttackTarget.Recover99, "eq=brightness=-0.1"),
        Filter("contrast_1.5", AttackTarget.Recover99, "eq=contrast=1.5"),
        Filter("contrast_0.6", AttackTarget.Recover99, "eq=contrast=0.6"),
        Filter("saturation_0", AttackTarget.Recover99, "eq=saturation=0"),
        Filter("hue_+30", AttackTarget.Recover99, "hue=h=30"),
        Filter("blur", AttackTarget.Recover99, "gblur=sigma=1.0"),
        Filter("noise", AttackTarget.Recover99, "noise=alls=12:allf=t"),
        Filter("fps_24", AttackTarget.Recover99, "fps=24"),
        Filter("frame_drop", AttackTarget.Recover99, "select='not(mod(n\\,2))',setpts=N/FRAME_RATE/TB"),
        new("trim_2s", AttackTarget.Recover99, ["-t", "2", .. Lossless]),
        Filter("hflip", AttackTarget.Recover95, "hflip"),
        Filter("rotate_3deg", AttackTarget.ReportOnly, "rotate=3*PI/180"),
        FilterThen("screen_recording", AttackTarget.Recover95, "scale=trunc(iw*0.375)*2:-2,crop=trunc(iw*0.45)*2:trunc(ih*0.45)*2,eq=brightness=0.05", X264(28)),
    ];

    /// <summary>Video Seal's evaluation protocol (72 frames at 24 fps per clip), written losslessly unless a codec is the attack.
    /// The protocol crops at a random position; here each crop has one position, drawn once (0.71: 28 % of the width
    /// from the left, 15 % of the height from the top, near the right edge; 0.55: 30 % and 10 %), so every run and
    /// every clip is cropped alike and no crop sits at the centre.</summary>
    public static IReadOnlyList<WatermarkAttack> VideoSealProtocol { get; } =
    [
        new("vs_identity", AttackTarget.Recover99, Lossless),
        Filter("vs_crop_0.71", AttackTarget.Recover99, "crop=trunc(iw*0.355)*2:trunc(ih*0.355)*2:iw*0.28:ih*0.15"),
        Filter("vs_crop_0.55", AttackTarget.Recover95, "crop=trunc(iw*0.275)*2:trunc(ih*0.275)*2:iw*0.3:ih*0.1"),
        Filter("vs_resize_0.71", AttackTarget.Recover99, "scale=trunc(iw*0.355)*2:trunc(ih*0.355)*2"),
        Filter("vs_resize_0.55", AttackTarget.Recover99, "scale=trunc(iw*0.275)*2:trunc(ih*0.275)*2"),
        new("vs_h264_crf30", AttackTarget.Recover99, X264(30)),
        new("vs_h264_crf40", AttackTarget.Recover95, X264(40)),
        new("vs_h264_crf50", AttackTarget.ReportOnly, X264(50)),
        new("vs_h265_crf30", AttackTarget.Recover99, ["-c:v", "libx265", "-crf", "30", "-pix_fmt", "yuv420p", "-x265-params", "log-level=error"]),
        new("vs_jpeg40", AttackTarget.Recover99, ["-vf", "format=yuvj420p", "-c:v", "mjpeg", "-q:v", "10"]),
        Filter("vs_blur_1.7", AttackTarget.Recover99, "gblur=sigma=1.7"),
        Filter("vs_median_9", AttackTarget.Recover99, "median=radius=4"),
        Filter("vs_rotate_10", AttackTarget.ReportOnly, "rotate=10*PI/180"),
        Filter("vs_rotate_90", AttackTarget.ReportOnly, "transpose=1"),
        Filter("vs_hflip", AttackTarget.Recover95, "hflip"),
        Filter("vs_perspective", AttackTarget.ReportOnly, "perspective=x0=W*0.05:y0=H*0.05:x1=W*0.95:y1=0:x2=0:y2=H:x3=W:y3=H*0.95"),
        Filter("vs_brightness_0.5", AttackTarget.Recover99, Brightness(0.5)),
        Filter("vs_brightness_1.5", AttackTarget.Recover99, Brightness(1.5)),
        Filter("vs_contrast_0.5", AttackTarget.Recover99, "eq=contrast=0.5"),
        Filter("vs_contrast_1.5", AttackTarget.Recover99, "eq=contrast=1.5"),
        Filter("vs_saturation_0.5", AttackTarget.Recover99, "eq=saturation=0.5"),
        Filter("vs_saturation_1.5", AttackTarget.Recover99, "eq=saturation=1.5"),
        Filter("vs_hue_90", AttackTarget.Recover99, "hue=h=90"),
        Filter("vs_grayscale", AttackTarget.Recover99, "format=gray,format=yuv420p"),
        Filter("vs_frame_drop_0.2", AttackTarget.Recover99, "select='not(eq(mod(n\\,5)\\,2))',setpts=N/FRAME_RATE/TB"),
        Filter("vs_speed_x2", AttackTarget.Recover99, "setpts=0.5*PTS"),
        Filter("vs_speed_x0.5", AttackTarget.Recover99, "setpts=2*PTS"),
        Filter("vs_averaging_3", AttackTarget.Recover99, "tmix=frames=3"),
        Filter("vs_reorder", AttackTarget.Recover99, "shuffleframes=4 5 6 7 0 1 2 3"),
        FilterThen("vs_combined_crf30", AttackTarget.Recover95, "crop=trunc(iw*0.355)*2:trunc(ih*0.355)*2:iw*0.28:ih*0.15," + Brightness(0.5), X264(30)),
    ];

    public static WatermarkAttack Get(string name) =>
        Platform.Concat(VideoSealProtocol).FirstOrDefault(a => a.Name == name)
        ?? throw new ArgumentException($"No attack named {name}.", nameof(name));
}
