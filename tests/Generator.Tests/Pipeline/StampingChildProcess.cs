using Provenance.Generator.Backends;
using Provenance.Generator.Pipeline;
using Provenance.Generator.Procedural;

namespace Provenance.Generator.Tests.Pipeline;

/// <summary>
/// Entry point of this test assembly when run as a program: <c>stamp-child OUTPUT SECONDS</c> stamps a
/// procedural clip and prints "frames N" as it goes, so a test can kill it mid-generation.
/// </summary>
public static class StampingChildProcess
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 3 || args[0] != "stamp-child")
        {
            Console.Error.WriteLine("usage: stamp-child OUTPUT SECONDS");
            return 2;
        }
        using var parts = new PipelineFixture();
        var progress = new ConsoleProgress();
        var request = new GenerationRequest("a slow drift over snowy mountains", 5, 640, 360, 24, double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
        await parts.Pipeline().GenerateAsync(request, new ProceduralBackend(maxThreads: 1), args[1], progress, CancellationToken.None);
        Console.WriteLine("released");
        return 0;
    }

    private sealed class ConsoleProgress : IProgress<StampingProgress>
    {
        public void Report(StampingProgress value)
        {
            if (value.Stage == StampingStage.Generating)
            {
                Console.WriteLine($"frames {value.FramesDone}");
            }
        }
    }
}
