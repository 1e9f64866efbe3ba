using Provenance.Detector.Classification;
using Provenance.Detector.Faces;
using Provenance.Detector.Tests.Classification;
using Provenance.Detector.Sampling;
using Provenance.Inference;
using Provenance.Inference.ModelCards;
using Provenance.Media;
using Provenance.Testing;

namespace Provenance.Detector.Tests.Faces;

public sealed class RetinaFaceDetectorTests : IDisposable
{
    private readonly FfmpegRunner runner = new();

    public void Dispose() => runner.Dispose();

    private Task<RgbImage> DecodeAsync(string path) => ShippedModelFixture.DecodeImageAsync(new FrameSampler(runner), path);

    [Fact]
    public async Task Detect_GroupPhotograph_FindsSeveralFacesInsideTheFrame()
    {
        using var detector = await RetinaFaceDetector.LoadAsync(HeldOutData.FaceDetectorModel, InferenceOptions.Cpu, CancellationToken.None);
        var photo = await DecodeAsync(HeldOutData.RealGroupPhoto);
        var faces = detector.Detect(photo);
        Assert.InRange(faces.Count, 3, 30);
        Assert.All(faces, f =>
        {
            Assert.InRange(f.X, 0, photo.Width - f.Width);
            Assert.InRange(f.Y, 0, photo.Height - f.Height);
            Assert.InRange(f.Confidence, 0.75, 1.0);
            Assert.InRange(f.Width / (double)f.Height, 0.4, 2.0);
        });
    }

    [Fact]
    public async Task Detect_GeneratedPortrait_FindsOneFaceNearTheCentre()
    {
        using var detector = await RetinaFaceDetector.LoadAsync(HeldOutData.FaceDetectorModel, InferenceOptions.Cpu, CancellationToken.None);
        var portrait = await DecodeAsync(HeldOutData.Fake(230));
        var face = Assert.Single(detector.Detect(portrait));
        Assert.InRange(face.X + face.Width / 2, 80, 176);
        Assert.InRange(face.Y + face.Height / 2, 70, 190);
    }

    [Fact]
    public async Task Detect_Noise_FindsNoFace()
    {
        using var detector = await RetinaFaceDetector.LoadAsync(HeldOutData.FaceDetectorModel, InferenceOptions.Cpu, CancellationToken.None);
        Assert.Empty(detector.Detect(FrameClassifierTests.Noise(640, 360, 3)));
    }

    [Fact]
    public async Task Load_UnknownFile_IsRefused()
    {
        using var dir = new TempFolder();
        var path = dir.File("face.onnx");
        File.WriteAllBytes(path, [.. File.ReadAllBytes(HeldOutData.FaceDetectorModel), 0]);
        await Assert.ThrowsAsync<ModelCardException>(() => RetinaFaceDetector.LoadAsync(path, InferenceOptions.Cpu, CancellationToken.None));
    }
}
