using System.Diagnostics;

namespace Provenance.Detector.Tests;

/// <summary>
/// Held-out images the shipped baseline never saw in training: StyleGAN2 faces 200-262 of npm fake-avatars and the
/// face-api demo photograph sample5.jpg (the test split of training/build_dataset.py). Fetched by
/// training/fetch-data.sh (npm) into .cache/training/npm when missing.
/// </summary>
internal static class HeldOutData
{
    private static readonly Lazy<string> Folder = new(Ensure);

    public static string ShippedModel => RepositoryPaths.Of("models", "baseline-ganfaces.onnx");

    public static string Fake(int index) => Path.Combine(Folder.Value, "fake-avatars", "package", "avatars", "png", $"{index}.png");

    public static string FaceDetectorModel => Path.Combine(Folder.Value, "retinaface", "package", "mnet.25_v2.onnx");

    public static string RealGroupPhoto => Path.Combine(Folder.Value, "face-api", "package", "demo", "sample5.jpg");

    private static string Ensure()
    {
        var folder = RepositoryPaths.Of(".cache", "training", "npm");
        if (File.Exists(Path.Combine(folder, "fake-avatars", ".ok")) && File.Exists(Path.Combine(folder, "face-api", ".ok"))
            && File.Exists(Path.Combine(folder, "retinaface", ".ok")))
        {
            return folder;
        }
        var script = RepositoryPaths.Of("training", "fetch-data.sh");
        using var process = Process.Start(new ProcessStartInfo(script) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"training/fetch-data.sh failed: {stderr.Result}");
        }
        return folder;
    }
}
