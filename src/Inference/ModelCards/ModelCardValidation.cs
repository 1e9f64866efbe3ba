namespace Provenance.Inference.ModelCards;

/// <summary>Range and consistency checks on a parsed card; every problem is reported, not only the first.</summary>
internal static class ModelCardValidation
{
    private const int MaxInputSide = 4096;

    internal static List<string> Problems(ModelCard card)
    {
        var problems = new List<string>();
        void Require(bool condition, string problem)
        {
            if (!condition)
            {
                problems.Add(problem);
            }
        }

        Require(!string.IsNullOrWhiteSpace(card.Name), "name is empty");
        Require(!string.IsNullOrWhiteSpace(card.Version), "version is empty");
        Require(IsSafeRelativeFile(card.File), $"file '{card.File}' must be a plain file name or a relative path inside the card's folder");
        Require(IsSha256Hex(card.Sha256), "sha256 must be 64 hexadecimal characters");
        Require(!string.IsNullOrWhiteSpace(card.Licence), "licence is empty");

        var input = card.Input;
        if (input is null)
        {
            problems.Add("input is missing");
        }
        else
        {
            Require(!string.IsNullOrWhiteSpace(input.Name), "input.name is empty");
            Require(input.Width is > 0 and <= MaxInputSide, $"input.width {input.Width} is outside 1..{MaxInputSide}");
            Require(input.Height is > 0 and <= MaxInputSide, $"input.height {input.Height} is outside 1..{MaxInputSide}");
            Require(input.Channels is 1 or 3, $"input.channels {input.Channels} must be 1 or 3");
            Require(input.ColorOrder is "RGB" or "BGR" or "GRAY", $"input.colorOrder '{input.ColorOrder}' must be RGB, BGR or GRAY");
            Require(input.Mean?.Count == input.Channels, "input.mean needs one value per channel");
            Require(input.Std?.Count == input.Channels && input.Std.All(s => s > 0 && float.IsFinite(s)), "input.std needs one positive value per channel");
            Require(input.Crop != CropKind.Face || input.FaceMargin is >= 1f and <= 3f, "input.faceMargin must be between 1 and 3 for face crops");
        }

        var output = card.Output;
        if (output is null)
        {
            problems.Add("output is missing");
        }
        else
        {
            Require(!string.IsNullOrWhiteSpace(output.Name), "output.name is empty");
            Require(!string.IsNullOrWhiteSpace(output.Meaning), "output.meaning is empty");
            Require(output.PositiveIndex >= 0, "output.positiveIndex must not be negative");
        }

        var threshold = card.Threshold;
        if (threshold is null)
        {
            problems.Add("threshold is missing");
        }
        else
        {
            Require(IsFraction(threshold.Value), $"threshold.value {threshold.Value} must be a score in [0, 1]");
            Require(IsFraction(threshold.FalsePositiveRate), $"threshold.falsePositiveRate {threshold.FalsePositiveRate} must be in [0, 1]");
            Require(!string.IsNullOrWhiteSpace(threshold.CalibrationSet), "threshold.calibrationSet is empty");
        }

        Require(card.Training is not null && !string.IsNullOrWhiteSpace(card.Training.Data), "training.data is empty");

        var metrics = card.Metrics;
        if (metrics is null)
        {
            problems.Add("metrics is missing");
        }
        else
        {
            Require(!string.IsNullOrWhiteSpace(metrics.EvaluationSet), "metrics.evaluationSet is empty");
            Require(metrics.Samples is null or > 0, "metrics.samples must be positive");
            foreach (var (name, value) in new[]
            {
                ("rocAuc", metrics.RocAuc), ("equalErrorRate", metrics.EqualErrorRate),
                ("truePositiveRateAtFpr1Percent", metrics.TruePositiveRateAtFpr1Percent),
                ("truePositiveRateAtFpr01Percent", metrics.TruePositiveRateAtFpr01Percent),
            })
            {
                Require(value is null || IsFraction(value.Value), $"metrics.{name} {value} must be in [0, 1]");
            }
        }

        return problems;
    }

    internal static bool IsSha256Hex(string? value) =>
        value is { Length: 64 } && value.All(char.IsAsciiHexDigit);

    private static bool IsFraction(double value) => value is >= 0 and <= 1;

    private static bool IsSafeRelativeFile(string? file) =>
        !string.IsNullOrWhiteSpace(file)
        && !Path.IsPathRooted(file)
        && !file.Contains('\\', StringComparison.Ordinal)
        && file.Split('/').All(part => part.Length > 0 && part != "." && part != "..");
}
