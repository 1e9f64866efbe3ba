using System.Text.Json;

namespace Provenance.Bench;

/// <summary>Shared helpers for benchmarks: the JSON summary line and progress on stderr.</summary>
internal static class BenchOutput
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    public static string ToJson(IReadOnlyDictionary<string, object?> figures) => JsonSerializer.Serialize(figures, Options);

    public static void Progress(string message) => Console.Error.WriteLine($"[bench] {message}");
}
