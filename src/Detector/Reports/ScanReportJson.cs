using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Provenance.Detector.Reports;

/// <summary>The one way reports are written and read: camelCase keys, enum codes as strings, nulls kept.</summary>
public static class ScanReportJson
{
    public static JsonSerializerOptions Options { get; } = Create(indented: true);

    private static readonly JsonSerializerOptions Compact = Create(indented: false);

    public static string Serialize(ScanReport report, bool indented = true) =>
        JsonSerializer.Serialize(report, indented ? Options : Compact);

    public static ScanReport Deserialize(string json) =>
        JsonSerializer.Deserialize<ScanReport>(json, Options) ?? throw new JsonException("empty report");

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
