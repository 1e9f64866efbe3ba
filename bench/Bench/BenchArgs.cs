namespace Provenance.Bench;

/// <summary>
/// What a benchmark accepts on its command line: options that take a value, switches, and how many plain arguments.
/// Each benchmark reads its own options; this checks the command line against them first, so a misspelt option
/// (`--clip 4`) or `--help` is answered at once instead of being ignored by a run that may take hours. A command line
/// that starts with <paramref name="ChildMode"/> is the benchmark starting itself as a child, and is not checked.
/// </summary>
internal sealed record BenchArgs(string Usage, string[] Values, string[] Switches, string? ChildMode = null, int MaxPlain = 0)
{
    /// <summary>Null when the arguments fit, else what is wrong with them.</summary>
    public string? Check(IReadOnlyList<string> args)
    {
        if (ChildMode is not null && args.Count > 0 && args[0] == ChildMode) return null;
        var plain = 0;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (Values.Contains(arg))
            {
                if (i + 1 >= args.Count || Values.Contains(args[i + 1]) || Switches.Contains(args[i + 1]))
                    return $"{arg} needs a value";
                i++;
            }
            else if (Switches.Contains(arg)) continue;
            else if (arg.StartsWith('-') && !IsNumber(arg)) return $"unknown option {arg}";
            else if (++plain > MaxPlain) return $"unexpected argument {arg}";
        }
        return null;
    }

    public static bool AsksForHelp(IReadOnlyList<string> args) => args.Any(a => a is "-h" or "--help");

    private static bool IsNumber(string arg) => double.TryParse(arg, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);
}

/// <summary>An option a benchmark cannot run with; the runner prints its message and the usage, and exits 2.</summary>
internal sealed class BenchUsageException(string message) : Exception(message);
