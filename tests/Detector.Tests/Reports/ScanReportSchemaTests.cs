using System.Text.Json;
using Provenance.Detector.Fusion;
using Provenance.Detector.Reports;
using Provenance.Detector.Tests.Fusion;

namespace Provenance.Detector.Tests.Reports;

public sealed class ScanReportSchemaTests
{
    private static readonly JsonElement Schema =
        JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Of("docs", "scan-report.schema.json"))).RootElement;

    [Fact]
    public void FullyPopulatedReport_ValidatesAgainstTheDocumentedSchema()
    {
        var json = ScanReportJson.Serialize(FullReport());
        var errors = SubsetSchemaValidator.Validate(Schema, JsonDocument.Parse(json).RootElement);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void ErrorReportWithNothingChecked_ValidatesAgainstTheDocumentedSchema()
    {
        var input = new InputSection { Status = CheckStatus.Error, Reason = "not a video", FileName = "x.txt", SizeBytes = 12 };
        var evidence = ScanEvidence.NothingChecked(input, "the input could not be read");
        var report = ScanReports.Assemble(evidence, VerdictFusion.Decide(evidence), new Dictionary<string, double> { ["total"] = 3 },
            new Dictionary<string, string> { ["provenance"] = "1.0.0" });
        var errors = SubsetSchemaValidator.Validate(Schema, JsonDocument.Parse(ScanReportJson.Serialize(report)).RootElement);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void UndocumentedKey_IsCaughtByTheCheck()
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(ScanReportJson.Serialize(FullReport()))!;
        node["watermark"]!["extra"] = 1;
        node["verdict"] = "probably-fine";
        var errors = SubsetSchemaValidator.Validate(Schema, JsonDocument.Parse(node.ToJsonString()).RootElement);
        Assert.Contains(errors, e => e.Contains("'extra' is not documented", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("probably-fine", StringComparison.Ordinal));
    }

    [Fact]
    public void StableKeys_AreWrittenWithTheirDocumentedNames()
    {
        using var doc = JsonDocument.Parse(ScanReportJson.Serialize(FullReport()));
        var r = doc.RootElement;
        Assert.Equal("1.2", r.GetProperty("schemaVersion").GetString());
        Assert.Equal("generated-by-this-service", r.GetProperty("verdict").GetString());
        Assert.Equal(JsonValueKind.String, r.GetProperty("reasons")[0].ValueKind);
        Assert.Equal("invalid", r.GetProperty("credentials").GetProperty("state").GetString());
        Assert.True(r.GetProperty("watermark").GetProperty("found").GetBoolean());
        Assert.Equal("00112233445566778899aabbccddeeff", r.GetProperty("watermark").GetProperty("payload").GetString());
        Assert.Equal("asset-42", r.GetProperty("ledger").GetProperty("matches")[0].GetProperty("assetId").GetString());
        Assert.Equal(0.12, r.GetProperty("classifier").GetProperty("score").GetDouble());
    }

    [Fact]
    public void Report_RoundTripsThroughJson()
    {
        var report = FullReport();
        var back = ScanReportJson.Deserialize(ScanReportJson.Serialize(report));
        Assert.Equal(report.Verdict, back.Verdict);
        Assert.Equal(report.Reasons, back.Reasons);
        Assert.Equal(report.Credentials.State, back.Credentials.State);
        Assert.Equal(report.Classifier.Timeline.Count, back.Classifier.Timeline.Count);
        Assert.Equal(report.Ledger.Matches[0].Receipt!.InclusionProof, back.Ledger.Matches[0].Receipt!.InclusionProof);
    }

    private static ScanReport FullReport()
    {
        var evidence = Evidence.Clean(classifierScore: 0.12).WithWatermark().WithLedgerMatch()
            .WithCredentials(CredentialsState.Invalid, true, Evidence.HashMismatch).WithFingerprintMatch();
        evidence = evidence with
        {
            Input = evidence.Input with { SizeBytes = 1234, Container = "mov,mp4", VideoCodec = "h264", FrameRate = 25, FramesSampled = 8, SampleRate = 2 },
            Watermark = evidence.Watermark with { Orientation = "mirrored", Segments = [new WatermarkSegment(0, 2, true, "00112233445566778899aabbccddeeff", 1e-12)] },
            Ledger = evidence.Ledger with
            {
                Matches = [evidence.Ledger.Matches[0] with { Receipt = new LedgerReceipt { Index = 7, TreeSize = 9, InclusionProof = ["ab", "cd"], Checkpoint = "origin\n9\nhash\n" } }],
            },
            Classifier = evidence.Classifier with
            {
                Aggregation = "mean of frame scores",
                Meaning = "Scores near 1 look like the synthetic faces the model was trained on.",
                Timeline = [new FrameScore { FrameIndex = 0, TimeSeconds = 0, Score = 0.1, Faces = [new FaceScore(10, 20, 64, 64, 0.98, 0.2)] }],
            },
        };
        return ScanReports.Assemble(evidence, VerdictFusion.Decide(evidence),
            new Dictionary<string, double> { ["probe"] = 12.5, ["total"] = 80 },
            new Dictionary<string, string> { ["provenance"] = "1.0.0", ["ffmpeg"] = "5.1.9" });
    }
}
