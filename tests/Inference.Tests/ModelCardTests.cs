using Provenance.Inference.ModelCards;
using Provenance.Testing;

namespace Provenance.Inference.Tests;

public sealed class ModelCardTests : IDisposable
{
    private static readonly InferenceOptions Cpu = InferenceOptions.Cpu with { IntraOpThreads = 1 };
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("provenance-card-");
    private readonly ConvClassifierModel model = ConvClassifierModel.Create(seed: 21, height: 16, width: 16);

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public async Task LoadAsync_ModelMatchingItsCard_CreatesASessionThatRunsTheModel()
    {
        var modelPath = WriteModelAndCard(CardFor(model.Bytes));

        var verified = await VerifiedModel.LoadAsync(modelPath, CancellationToken.None);
        using var session = verified.CreateSession(Cpu);
        var input = model.RandomInput(seed: 2, batch: 1);
        var logits = session.Run([new NamedTensor("input", [1, 3, 16, 16], input)])[0];

        Assert.Equal("tiny-classifier", verified.Card.Name);
        Assert.Equal(model.Reference(input, 1)[1], logits.Span[1], 3);
    }

    [Fact]
    public async Task LoadAsync_ViaTheCardPath_FindsTheModelNamedByTheCard()
    {
        var modelPath = WriteModelAndCard(CardFor(model.Bytes));

        var verified = await VerifiedModel.LoadAsync(VerifiedModel.CardPathFor(modelPath), CancellationToken.None);

        Assert.Equal(modelPath, verified.ModelPath);
        Assert.Equal(model.Bytes, verified.Bytes);
    }

    [Fact]
    public async Task LoadAsync_ModelWhoseBytesChangedAfterTheCardWasWritten_IsRefusedWithBothHashes()
    {
        var card = CardFor(model.Bytes);
        var modelPath = WriteModelAndCard(card);
        var tampered = File.ReadAllBytes(modelPath);
        tampered[^5] ^= 0x01;
        File.WriteAllBytes(modelPath, tampered);

        var error = await Assert.ThrowsAsync<ModelCardException>(() => VerifiedModel.LoadAsync(modelPath, CancellationToken.None));

        Assert.Contains(card.Sha256, error.Message, StringComparison.Ordinal);
        Assert.Contains(VerifiedModel.Sha256Hex(tampered), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromBytes_CardForAnotherModel_IsRefused()
    {
        var other = ConvClassifierModel.Create(seed: 99);

        Assert.Throws<ModelCardException>(() => VerifiedModel.FromBytes(CardFor(other.Bytes), model.Bytes));
    }

    [Fact]
    public async Task LoadAsync_ModelWithoutACard_IsRefused()
    {
        var modelPath = Path.Combine(folder.FullName, "lonely.onnx");
        File.WriteAllBytes(modelPath, model.Bytes);

        var error = await Assert.ThrowsAsync<ModelCardException>(() => VerifiedModel.LoadAsync(modelPath, CancellationToken.None));

        Assert.Contains("lonely.card.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateSession_CardWhoseInputSizeContradictsTheModel_IsRefused()
    {
        var card = CardFor(model.Bytes) with { Input = CardFor(model.Bytes).Input with { Width = 32 } };

        var error = Assert.Throws<ModelCardException>(() => VerifiedModel.FromBytes(card, model.Bytes).CreateSession(Cpu));

        Assert.Contains("3x16x32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateSession_CardNamingAnOutputTheModelLacks_IsRefused()
    {
        var card = CardFor(model.Bytes) with { Output = CardFor(model.Bytes).Output with { Name = "score" } };

        var error = Assert.Throws<ModelCardException>(() => VerifiedModel.FromBytes(card, model.Bytes).CreateSession(Cpu));

        Assert.Contains("'score'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WhatToJsonWrote_GivesAnEqualCard()
    {
        var card = CardFor(model.Bytes);

        var parsed = ModelCard.Parse(card.ToJson());

        Assert.Equal(card.ToJson(), parsed.ToJson());
        Assert.Equal(CropKind.Face, parsed.Input.Crop);
        Assert.Contains("\"crop\": \"face\"", card.ToJson(), StringComparison.Ordinal);
        Assert.Contains("\"layout\": \"NCHW\"", card.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CardWithSeveralBadFields_ReportsEveryProblem()
    {
        var good = CardFor(model.Bytes);
        var bad = good with
        {
            Sha256 = "abc",
            File = "../outside.onnx",
            Threshold = good.Threshold with { FalsePositiveRate = 1.5 },
            Input = good.Input with { Std = [0.5f, 0f, 0.5f] },
        };

        var error = Assert.Throws<ModelCardException>(() => ModelCard.Parse(bad.ToJson()));

        Assert.Equal(4, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.Contains("sha256", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("outside.onnx", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("falsePositiveRate", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("input.std", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("{\"name\": \"x\"}")]
    public void Parse_MalformedOrIncompleteJson_ThrowsModelCardException(string json)
    {
        Assert.Throws<ModelCardException>(() => ModelCard.Parse(json));
    }

    [Fact]
    public void Parse_CardWithAnUnknownField_IsRefused()
    {
        var json = CardFor(model.Bytes).ToJson().Replace("\"licence\"", "\"unexpected\": 1, \"licence\"", StringComparison.Ordinal);

        var error = Assert.Throws<ModelCardException>(() => ModelCard.Parse(json));

        Assert.Contains("unexpected", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CardWithANullRequiredSection_IsRefused()
    {
        var json = CardFor(model.Bytes).ToJson();
        var start = json.IndexOf("\"metrics\":", StringComparison.Ordinal);
        var end = json.IndexOf('}', start);
        var withNull = json[..start] + "\"metrics\": null" + json[(end + 1)..];

        Assert.Throws<ModelCardException>(() => ModelCard.Parse(withNull));
    }

    [Theory]
    [InlineData(OutputKind.Probability, new[] { 0.8f }, 0.8)]
    [InlineData(OutputKind.Logit, new[] { 0f }, 0.5)]
    [InlineData(OutputKind.Logit, new[] { 2f }, 0.8807970779778823)]
    [InlineData(OutputKind.SoftmaxLogits, new[] { 1f, 1f }, 0.5)]
    [InlineData(OutputKind.SoftmaxLogits, new[] { 0f, 1000f }, 1.0)]
    public void Score_FollowsTheCardsOutputKind(OutputKind kind, float[] values, double expected)
    {
        var output = new ModelOutput { Name = "y", Kind = kind, PositiveIndex = 1, Meaning = "synthetic" };

        Assert.Equal(expected, output.Score(values), 6);
    }

    private string WriteModelAndCard(ModelCard card)
    {
        var modelPath = Path.Combine(folder.FullName, card.File);
        File.WriteAllBytes(modelPath, model.Bytes);
        File.WriteAllText(VerifiedModel.CardPathFor(modelPath), card.ToJson());
        return modelPath;
    }

    private static ModelCard CardFor(byte[] bytes) => new()
    {
        Name = "tiny-classifier",
        Version = "0.1.0",
        File = "tiny-classifier.onnx",
        Sha256 = VerifiedModel.Sha256Hex(bytes),
        Input = new ModelInput
        {
            Name = ConvClassifierModel.InputName,
            Layout = TensorLayout.Nchw,
            Width = 16,
            Height = 16,
            Mean = [0.5f, 0.5f, 0.5f],
            Std = [0.5f, 0.5f, 0.5f],
            Crop = CropKind.Face,
            FaceMargin = 1.3f,
        },
        Output = new ModelOutput
        {
            Name = ConvClassifierModel.OutputName,
            Kind = OutputKind.SoftmaxLogits,
            PositiveIndex = 1,
            Meaning = "probability that the face is synthetic",
        },
        Threshold = new CalibratedThreshold { Value = 0.5, FalsePositiveRate = 0.01, CalibrationSet = "test" },
        Training = new TrainingDescription { Data = "seeded random weights (test model)" },
        Licence = "MIT",
        Metrics = new ModelMetrics { EvaluationSet = "none", RocAuc = 0.5 },
    };
}
