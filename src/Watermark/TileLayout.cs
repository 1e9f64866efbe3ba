namespace Provenance.Watermark;

/// <summary>
/// The keyed geometry of the mark. Each frame is covered by square tiles whose side is a fixed fraction of the
/// frame height (<see cref="WatermarkOptions.TilesPerHeight"/>), so resizing keeps the pattern in place relative to the picture.
/// A tile is a grid of <see cref="CellsPerSide"/>² cells; each cell carries one ±1 value, shaped by a smooth
/// raised-cosine interpolation between cell centres (no sharp cell edges). A keyed permutation makes
/// <see cref="PilotCells"/> cells known pilots (for synchronisation) and the others one coded payload bit each;
/// a keyed sign per cell whitens the pattern.
/// </summary>
internal sealed class TileLayout
{
    public const int CellsPerSide = 17;
    public const int Cells = CellsPerSide * CellsPerSide;
    public static readonly int DataCells = PayloadCodec.CodedBits;
    public static readonly int PilotCells = Cells - DataCells;

    /// <summary>Keyed sign of each cell (row-major).</summary>
    public sbyte[] Signs { get; } = new sbyte[Cells];

    /// <summary>Cell indices of the pilots.</summary>
    public int[] Pilots { get; }

    /// <summary>Cell index carrying coded bit k.</summary>
    public int[] DataCellOfBit { get; }

    public TileLayout(byte[] patternSubkey)
    {
        var stream = new KeyedStream(patternSubkey);
        var order = Enumerable.Range(0, Cells).ToArray();
        for (var i = Cells - 1; i > 0; i--)
        {
            var j = stream.NextBelow(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        for (var c = 0; c < Cells; c++) Signs[c] = stream.NextSign();
        Pilots = order[..PilotCells];
        DataCellOfBit = order[PilotCells..];
    }

    /// <summary>The ±1 value of every cell for a coded payload.</summary>
    public float[] CellValues(ReadOnlySpan<bool> coded)
    {
        var values = new float[Cells];
        foreach (var c in Pilots) values[c] = Signs[c];
        for (var k = 0; k < DataCellOfBit.Length; k++)
        {
            var c = DataCellOfBit[k];
            values[c] = coded[k] ? -Signs[c] : Signs[c];
        }
        return values;
    }
}
