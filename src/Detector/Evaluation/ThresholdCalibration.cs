using Provenance.Inference.ModelCards;

namespace Provenance.Detector.Evaluation;

/// <summary>
/// Writes a calibrated threshold into a model card. Only the card's <c>threshold</c> changes; its <c>sha256</c>
/// is the hash of the <c>.onnx</c> file, which calibration does not touch.
/// </summary>
public static class ThresholdCalibration
{
    /// <summary>Rewrites the card at <paramref name="cardPath"/> with the new threshold and returns the updated card.</summary>
    /// <exception cref="ModelCardException">The card is invalid, or the threshold is not a score in [0, 1].</exception>
    public static async Task<ModelCard> WriteAsync(string cardPath, double threshold, double falsePositiveRate, string calibrationSet,
        CancellationToken cancellationToken)
    {
        var card = ModelCard.Load(cardPath);
        var updated = card with
        {
            Threshold = new CalibratedThreshold
            {
                Value = Math.Clamp(threshold, 0, 1),
                FalsePositiveRate = falsePositiveRate,
                CalibrationSet = calibrationSet,
            },
        };
        var json = updated.ToJson();
        ModelCard.Parse(json); // validate before replacing the file
        var temp = cardPath + ".tmp";
        await File.WriteAllTextAsync(temp, json + "\n", cancellationToken).ConfigureAwait(false);
        File.Move(temp, cardPath, overwrite: true);
        return updated;
    }
}
