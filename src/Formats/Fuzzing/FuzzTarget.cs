namespace Provenance.Formats.Fuzzing;

/// <summary>One parser under mutation fuzzing: how to parse an input and which exception it may throw.</summary>
public sealed class FuzzTarget
{
    internal FuzzTarget(string name, Type domainException, Func<byte[]> seed, Func<int, byte[]> deepNesting, Action<byte[]> parse)
    {
        Name = name;
        DomainException = domainException;
        _seed = seed;
        _deepNesting = deepNesting;
        _parse = parse;
    }

    private readonly Func<byte[]> _seed;
    private readonly Func<int, byte[]> _deepNesting;
    private readonly Action<byte[]> _parse;

    /// <summary>Short name, also the regression folder name: cbor, cose, jumbf, bmff.</summary>
    public string Name { get; }

    /// <summary>The only exception type the parser may throw on any input.</summary>
    public Type DomainException { get; }

    /// <summary>A valid, deterministic sample that exercises most of the parser.</summary>
    public byte[] Seed() => _seed();

    /// <summary>A crafted input nested <paramref name="depth"/> levels deep.</summary>
    public byte[] DeepNesting(int depth) => _deepNesting(depth);

    /// <summary>Parses the input as deeply as the format allows (decode, walk, re-encode).</summary>
    public void Parse(byte[] input) => _parse(input);

    /// <summary>Runs the parser; returns null when it accepted or rejected the input properly, else the escaped exception.</summary>
    public Exception? Check(byte[] input)
    {
        try
        {
            _parse(input);
            return null;
        }
        catch (Exception e) when (DomainException.IsInstanceOfType(e))
        {
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    public override string ToString() => Name;
}
