using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Provenance.Detector.Classification;
using Provenance.Detector.Evaluation;
using Provenance.Detector.Sampling;
using Provenance.Inference;
using Provenance.Inference.ModelCards;
using Provenance.Media;

namespace Provenance.Cli.Commands;

/// <summary>
/// <c>provenance eval --model M.onnx --data DIR [--json] [--calibrate] [--target-fpr F]</c>: ROC AUC, EER and TPR at
/// 1% / 0.1% FPR of a classifier on DIR/real and DIR/fake (images or clips); <c>--calibrate</c> writes the threshold for
/// the target FPR into the model's card. <c>--json</c> prints {auc, eer, tpr_at_1pct_fpr, tpr_at_0_1pct_fpr, threshold}.
/// </summary>
internal static class EvalCommands
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The classifier .onnx (its .card.json beside it).", Required = true };
        var data = new Option<string>("--data") { Description = "Folder with real/ and fake/ sub-folders of images or clips.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the figures as one JSON object." };
        var calibrate = new Option<bool>("--calibrate") { Description = "Write the threshold for --target-fpr into the model card." };
        var target = new Option<double>("--target-fpr") { Description = "False-positive rate the threshold is chosen for.", DefaultValueFactory = _ => 0.01 };
        var cmd = new Command("eval", "Evaluate a classifier on labelled data (ROC AUC, EER, TPR at 1% and 0.1% FPR) and optionally calibrate its threshold.")
        {
            model, data, json, calibrate, target,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var modelPath = parse.GetValue(model)!;
            var folder = parse.GetValue(data)!;
            var targetFpr = parse.GetValue(target);
            if (!(targetFpr > 0 && targetFpr < 1))
            {
                Console.Error.WriteLine("provenance eval: --target-fpr must be in (0, 1)");
                return 2;
            }
            try
            {
                using var classifier = await FrameClassifier.LoadAsync(modelPath, InferenceOptions.Cpu, cancellationToken: ct);
                using var runner = new FfmpegRunner();
                var evaluator = new ModelEvaluator(classifier, new FrameSampler(runner));
                var progress = new Progress<(int Done, int Total)>(p => Console.Error.Write($"\r[eval] {p.Done}/{p.Total}"));
                var run = await evaluator.EvaluateAsync(folder, targetFpr, parse.GetValue(json) ? null : progress, ct);
                var r = run.Result;
                if (parse.GetValue(calibrate))
                {
                    var calibrationSet = string.Create(CultureInfo.InvariantCulture, $"{Path.GetFullPath(folder)}: {r.RealCount} real, {r.FakeCount} fake");
                    await ThresholdCalibration.WriteAsync(classifier.Model.CardPath, r.Threshold, targetFpr, calibrationSet, ct);
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[eval] wrote threshold {r.Threshold:0.######} (FPR {targetFpr}) into {classifier.Model.CardPath}"));
                }
                if (parse.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, double>
                    {
                        ["auc"] = r.Auc,
                        ["eer"] = r.Eer,
                        ["tpr_at_1pct_fpr"] = r.TprAt1PctFpr,
                        ["tpr_at_0_1pct_fpr"] = r.TprAt01PctFpr,
                        ["threshold"] = r.Threshold,
                    }));
                }
                else
                {
                    Console.Error.WriteLine();
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{r.RealCount} real, {r.FakeCount} fake ({run.Skipped} skipped)\nROC AUC {r.Auc:0.0000}\nEER {r.Eer:0.0000}\nTPR at 1% FPR {r.TprAt1PctFpr:0.0000}\nTPR at 0.1% FPR {r.TprAt01PctFpr:0.0000}\nthreshold for {targetFpr:0.####} FPR: {r.Threshold:0.######}"));
                    var cardThreshold = classifier.Card.Threshold.Value;
                    var scored = run.Items.Where(i => i.Score is not null).ToList();
                    double Share(bool fake) => scored.Where(i => i.Fake == fake).Average(i => i.Score >= cardThreshold ? 1.0 : 0.0);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"at the card's threshold {cardThreshold:0.######}: FPR {Share(false):0.0000}, TPR {Share(true):0.0000}"));
                }
                foreach (var skipped in run.Items.Where(i => i.Score is null))
                {
                    Console.Error.WriteLine($"[eval] skipped {skipped.Path}: {skipped.Error}");
                }
                return 0;
            }
            catch (Exception e) when (e is ModelCardException or InferenceException or DirectoryNotFoundException or InvalidDataException)
            {
                Console.Error.WriteLine($"provenance eval: {e.Message}");
                return 1;
            }
        });
        return cmd;
    }
}
