using System.Diagnostics;
using System.Numerics;

namespace Provenance.Watermark;

public sealed partial class TiledWatermarkExtractor
{
    private const int BinsPerCell = 3;
    private const int FoldSide = TileLayout.CellsPerSide * BinsPerCell;

    /// <summary>Sync hypotheses (the best shift of each of the best-scoring scales) that are decoded.</summary>
    internal const int SyncCandidates = 6;

    /// <summary>H = 1 + 1/2 + … + 1/<see cref="PayloadCodec.DeepListSize"/> (≈ 7.51): a word found at rank r of a list is
    /// charged r·H times the pilots' tail, so rank r holds a share 1/(r·H) of the false-alarm budget and the shares of all
    /// ranks add up to one (see the p-value in <see cref="Result"/>).</summary>
    internal static readonly double RankCharge = Enumerable.Range(1, PayloadCodec.DeepListSize).Sum(r => 1.0 / r);

    public WatermarkDetection Result()
    {
        if (_frames == 0) return WatermarkDetection.Unusable(0, "no frames were analysed");
        if (_unusable is not null) return WatermarkDetection.Unusable(_frames, _unusable);

        var n = _analysisWidth * _analysisHeight;
        var total = new float[n];
        foreach (var seg in _segments.Values)
            for (var i = 0; i < n; i++) total[i] += seg.Sum[i];

        var scales = ScaleHypotheses();
        var folded = new float[FoldSide * FoldSide];
        var cellSums = new float[FoldSide * FoldSide];
        var pilotOffsets = CellOffsets(_layout.Pilots);
        var pilotSigns = _layout.Pilots.Select(c => (float)_layout.Signs[c]).ToArray();
        var orientations = SearchedOrientations();
        var tiled = NewTiled();
        var pilotBases = TiledBases(pilotOffsets);
        var bestPerScale = new List<SyncHypothesis>(scales.Count * orientations.Count);
        foreach (var scale in scales)
        {
            // The flips share one fold; the quarter turns, whose period follows the width, share another.
            var foldedTurned = false;
            Fold(total, PeriodFor(scale, WatermarkOrientations.Upright), folded);
            foreach (var orientation in orientations)
            {
                if (IsQuarterTurn(orientation) != foldedTurned)
                {
                    foldedTurned = IsQuarterTurn(orientation);
                    Fold(total, PeriodFor(scale, orientation), folded);
                }
                SumCells(folded, orientation, cellSums);
                var (z, sx, sy) = BestShift(cellSums, tiled, pilotBases, pilotSigns);
                if (double.IsFinite(z)) bestPerScale.Add(new SyncHypothesis(z, scale, sx, sy, orientation));
            }
        }
        var hypotheses = (double)scales.Count * orientations.Count * FoldSide * FoldSide;

        // Three ways to a passing check. (1) The Viterbi word at the pilots' best hypothesis, as a single word. (2) Near
        // the detection limit the pilots' best hypothesis is often a neighbour of the true scale, where cells far from
        // the centre are misaligned, and the most likely word is often wrong only in a few check bits; so the few best
        // hypotheses are each list-decoded and, among those whose check verifies, the one whose pilots and decoded
        // data cells together correlate best wins.
        var dataOffsets = CellOffsets(_layout.DataCellOfBit);
        var soft = new double[PayloadCodec.CodedBits];
        var candidates = bestPerScale.OrderByDescending(h => h.Score).Take(SyncCandidates).ToList();
        var best = candidates.Count > 0 ? candidates[0] : new SyncHypothesis(0, 1, 0, 0, WatermarkOrientations.Upright);
        ulong? candidate = null;
        var checkPasses = false;
        var singleWord = false;
        double energy = 0;
        var bestFull = double.NegativeInfinity;
        // (3) Where a hypothesis's pilots make a mark likely but no word of the short lists (up to ListSize) checks,
        // its data cells usually carry a few strong, consistent errors (host content or the codec working against the
        // same cells in every frame, so more frames do not help): its list goes on, as deep as its pilot score lets
        // the p-value stay within the threshold (up to DeepListSize words). A hypothesis whose pilots are too weak for
        // even its first word is not decoded at all, except the best one, for way (1) and the candidate.
        var permitted = candidates.Select(h => PermittedListSize(h.Score, hypotheses, _options.PValueThreshold)).ToArray();
        var chosenRank = 0;
        for (var pass = 0; pass < 2 && !checkPasses; pass++)
        {
            for (var i = 0; i < candidates.Count; i++)
            {
                var h = candidates[i];
                var first = i == 0 && pass == 0;
                var listSize = pass == 0 ? Math.Min(PayloadCodec.ListSize, permitted[i]) : permitted[i];
                if (first) listSize = Math.Max(1, listSize);
                if (listSize < 1 || (pass == 1 && listSize <= PayloadCodec.ListSize)) continue;
                Fold(total, PeriodFor(h.Scale, h.Orientation), folded);
                SumCells(folded, h.Orientation, cellSums);
                var e = ReadDataCells(cellSums, dataOffsets, h, soft);
                if (first) energy = e;
                if (h.Score <= 0 || e <= 1e-12) continue;
                var (payload, ok, rank) = _codec.DecodeList(soft, listSize);
                if (first) candidate = payload;
                if (!ok) continue;
                if (first && rank == 0)
                {
                    (best, candidate, checkPasses, singleWord) = (h, payload, true, true);
                    break;
                }
                Debug.Assert(rank < permitted[i], "a list never goes deeper than its hypothesis's pilots permit");
                var full = FullScore(cellSums, pilotOffsets, pilotSigns, soft, _codec.Encode(payload), h);
                if (full > bestFull) { bestFull = full; best = h; candidate = payload; checkPasses = true; energy = e; chosenRank = rank + 1; }
            }
        }
        var syncScore = best.Score > 0 && double.IsFinite(best.Score) ? best.Score : 0;

        Fold(total, PeriodFor(best.Scale, best.Orientation), folded);
        SumCells(folded, best.Orientation, cellSums);
        double agreement = 0;
        if (candidate is { } word && energy > 1e-12)
        {
            ReadDataCells(cellSums, dataOffsets, best, soft);
            var coded = _codec.Encode(word);
            var agree = 0;
            for (var k = 0; k < soft.Length; k++) if ((soft[k] >= 0) != coded[k]) agree++;
            agreement = (double)agree / soft.Length;
        }

        // p-value, under "no mark of this key" (the keyed signs are independent of the content, the check is an HMAC):
        // a hypothesis h's pilot statistic reaches z with probability ≤ T(z) (RademacherTail.Bound), independently of
        // the words its data cells decode to (disjoint cells, independent signs), and a word offered to the check
        // passes with probability q = 2^-32. Way (1) offers one word at the single best hypothesis: P(way 1 with pilots
        // ≥ z) ≤ q · min(1, M · T(z)). The list ways: a word at rank r (1 = most likely) of a decoded hypothesis whose
        // pilots reach z is charged p = q · (1 + r · H · min(S, M · T(z))), H = RankCharge, S = SyncCandidates (at most
        // S hypotheses are decoded). Detection at level α through rank r needs min(S, M · T(z)) ≤ (α/q − 1)/(r · H),
        // which, by the union over the M hypotheses, happens with probability ≤ q · (α/q − 1)/(r · H); over all ranks
        // 1..DeepListSize that sums to (α − q), and with way (1)'s q to α. So p is a valid p-value whatever the list
        // sizes; the lists only go as deep as a pass could still be within the threshold (PermittedListSize).
        var pValue = !checkPasses ? PilotPValue(syncScore, hypotheses)
            : singleWord ? SingleWordPValue(syncScore, hypotheses)
            : ListWordPValue(syncScore, hypotheses, chosenRank);
        var found = checkPasses && pValue <= _options.PValueThreshold;

        var segments = SegmentEvidence(best, pilotOffsets, pilotSigns, folded, cellSums);
        var note = energy <= 1e-12 ? "no usable texture: the frames are flat (e.g. all black)" : null;
        return new WatermarkDetection(found, found ? candidate : null, pValue, _frames, syncScore, agreement,
            candidate, best.Scale, segments, note) { Orientation = best.Orientation };
    }

    /// <summary>p when no word passed the check: the pilots' tail over the <paramref name="hypotheses"/> searched.</summary>
    internal static double PilotPValue(double z, double hypotheses) => Math.Min(1, hypotheses * RademacherTail.Bound(z));

    /// <summary>p of way (1): the Viterbi word of the best hypothesis passed the check.</summary>
    internal static double SingleWordPValue(double z, double hypotheses) =>
        PayloadCodec.CheckFalsePassProbability * PilotPValue(z, hypotheses);

    /// <summary>p of a list-way detection: the word at <paramref name="rank"/> (1 = most likely) of a hypothesis whose
    /// pilots reach <paramref name="z"/> passed the check.</summary>
    internal static double ListWordPValue(double z, double hypotheses, int rank) =>
        PayloadCodec.CheckFalsePassProbability * (1 + rank * RankCharge * DecodedTail(z, hypotheses));

    /// <summary>The most words a hypothesis whose pilots reach <paramref name="z"/> may offer: the largest rank whose
    /// pass would still have p ≤ <paramref name="threshold"/>, at most <see cref="PayloadCodec.DeepListSize"/> (0 when
    /// not even the first word could).</summary>
    internal static int PermittedListSize(double z, double hypotheses, double threshold)
    {
        var ranks = (threshold / PayloadCodec.CheckFalsePassProbability - 1) / (RankCharge * DecodedTail(z, hypotheses));
        return double.IsFinite(ranks) && ranks >= 1 ? (int)Math.Min(PayloadCodec.DeepListSize, Math.Floor(ranks * (1 - 1e-12))) : 0;
    }

    /// <summary>Expected number of decoded hypotheses whose pilots reach z: the union over the search, capped at the
    /// hypotheses decoded.</summary>
    private static double DecodedTail(double z, double hypotheses) => Math.Min(SyncCandidates, hypotheses * RademacherTail.Bound(z));

    private List<WatermarkSegment> SegmentEvidence(SyncHypothesis best, (int Row, int Col)[] pilotOffsets, float[] pilotSigns,
        float[] folded, float[] cellSums)
    {
        var list = new List<WatermarkSegment>(_segments.Count);
        var period = PeriodFor(best.Scale, best.Orientation);
        foreach (var seg in _segments.Values)
        {
            Fold(seg.Sum, period, folded);
            SumCells(folded, best.Orientation, cellSums);
            var z = ScoreAt(cellSums, pilotOffsets, pilotSigns, best.ShiftX, best.ShiftY);
            var p = RademacherTail.Bound(z);
            var start = double.IsFinite(seg.Start) ? seg.Start : 0;
            var end = double.IsFinite(seg.End) ? seg.End : start;
            list.Add(new WatermarkSegment(start, end, z, p, seg.Frames));
        }
        return list;
    }

    private List<double> ScaleHypotheses()
    {
        var list = new List<double>();
        for (var s = _options.MinimumScale; s <= _options.MaximumScale * 1.0000001; s *= _options.ScaleStep) list.Add(s);
        if (!list.Any(s => Math.Abs(s - 1) < 1e-9)) list.Add(1.0);
        return list;
    }

    /// <summary>Tile period in analysis pixels when the frame shows this fraction of the marked frame's height: along the
    /// frame's height, or for a quarter turn along its width, which then shows the marked frame's height.</summary>
    private double PeriodFor(double scale, WatermarkOrientations orientation) =>
        (IsQuarterTurn(orientation) ? _analysisWidth : _analysisHeight) / (_options.TilesPerHeight * scale);

    /// <summary>Orientations that swap the picture's width and height: every one that is not a flip.</summary>
    private static bool IsQuarterTurn(WatermarkOrientations orientation) => !WatermarkOrientations.Flips.HasFlag(orientation);

    /// <summary>Folds a plane onto one tile (FoldSide² bins) for a tile period; each bin holds its mean, zero-centred.
    /// Rows are first summed into their row bin (whole rows at a time, SIMD), then columns into their column bin.</summary>
    private void Fold(float[] plane, double period, float[] folded)
    {
        var binX = Bins(_analysisWidth, period);
        var binY = Bins(_analysisHeight, period);
        var countX = new int[FoldSide]; var countY = new int[FoldSide];
        foreach (var b in binX) countX[b]++;
        foreach (var b in binY) countY[b]++;
        var w = _analysisWidth;
        if (_rowBins.Length != FoldSide * w) _rowBins = new float[FoldSide * w];
        Array.Clear(_rowBins);
        var lanes = Vector<float>.Count;
        for (var y = 0; y < _analysisHeight; y++)
        {
            var into = _rowBins.AsSpan(binY[y] * w, w);
            var row = plane.AsSpan(y * w, w);
            var x = 0;
            for (; x + lanes <= w; x += lanes)
                (new Vector<float>(into[x..]) + new Vector<float>(row[x..])).CopyTo(into[x..]);
            for (; x < w; x++) into[x] += row[x];
        }
        Array.Clear(folded);
        for (var by = 0; by < FoldSide; by++)
        {
            var o = by * w;
            var r = by * FoldSide;
            for (var x = 0; x < w; x++) folded[r + binX[x]] += _rowBins[o + x];
        }
        double mean = 0; var used = 0;
        for (var by = 0; by < FoldSide; by++)
            for (var bx = 0; bx < FoldSide; bx++)
            {
                var c = countX[bx] * countY[by];
                var i = by * FoldSide + bx;
                if (c == 0) { folded[i] = float.NaN; continue; }
                folded[i] /= c; mean += folded[i]; used++;
            }
        mean = used > 0 ? mean / used : 0;
        for (var i = 0; i < folded.Length; i++) folded[i] = float.IsNaN(folded[i]) ? 0 : (float)(folded[i] - mean);
    }

    /// <summary>Scratch for <see cref="Fold"/>: the plane's rows summed per row bin.</summary>
    private float[] _rowBins = [];

    /// <summary>Scratch for <see cref="SumCells"/>: the fold read through an orientation, and its cell-wide row sums.</summary>
    private readonly float[] _orientedScratch = new float[FoldSide * FoldSide], _rowSumScratch = new float[FoldSide * FoldSide];

    private static int[] Bins(int length, double period)
    {
        var bins = new int[length];
        for (var i = 0; i < length; i++)
        {
            var u = (i + 0.5) / period;
            var f = u - Math.Floor(u);
            bins[i] = Math.Min(FoldSide - 1, (int)(f * FoldSide));
        }
        return bins;
    }

    /// <summary>The orientations to try: upright always, first, then those of the option.</summary>
    private List<WatermarkOrientations> SearchedOrientations()
    {
        var list = new List<WatermarkOrientations> { WatermarkOrientations.Upright };
        foreach (var o in Enum.GetValues<WatermarkOrientations>())
            if (o != WatermarkOrientations.Upright && BitOperations.IsPow2((int)o) && _options.SearchOrientations.HasFlag(o)) list.Add(o);
        return list;
    }

    /// <summary>
    /// Where bin (x, y) of the marked tile lies in the fold of a picture turned or flipped this way (up to a constant
    /// offset that the shift search absorbs). A turned or flipped picture folds onto the tile turned or flipped the
    /// same way, since the tile is square and its period the same along both axes, so every orientation is read from
    /// one fold instead of from the frames again.
    /// </summary>
    private static int FoldedIndex(WatermarkOrientations orientation, int x, int y)
    {
        const int Last = FoldSide - 1;
        var (u, v) = orientation switch
        {
            WatermarkOrientations.Mirrored => (Last - x, y),
            WatermarkOrientations.UpsideDown => (Last - x, Last - y),
            WatermarkOrientations.MirroredUpsideDown => (x, Last - y),
            WatermarkOrientations.TurnedClockwise => (Last - y, x),
            WatermarkOrientations.TurnedCounterclockwise => (y, Last - x),
            WatermarkOrientations.Transposed => (y, x),
            WatermarkOrientations.AntiTransposed => (Last - y, Last - x),
            _ => (x, y),
        };
        return v * FoldSide + u;
    }

    /// <summary>
    /// Sum of each cell-sized (BinsPerCell²) window, cyclically: the matched filter of one cell; read through an
    /// orientation (<see cref="FoldedIndex"/>), so flips and quarter turns are tried on the fold instead of on the frames.
    /// </summary>
    private void SumCells(float[] folded, WatermarkOrientations orientation, float[] cellSums)
    {
        var oriented = folded;
        if (orientation != WatermarkOrientations.Upright)
        {
            oriented = _orientedScratch;
            for (var y = 0; y < FoldSide; y++)
                for (var x = 0; x < FoldSide; x++) oriented[y * FoldSide + x] = folded[FoldedIndex(orientation, x, y)];
        }
        var rows = _rowSumScratch;
        for (var y = 0; y < FoldSide; y++)
        {
            var source = y * FoldSide;
            for (var x = 0; x < FoldSide; x++)
            {
                float s = 0;
                for (var d = 0; d < BinsPerCell; d++) s += oriented[source + (x + d) % FoldSide];
                rows[y * FoldSide + x] = s;
            }
        }
        for (var y = 0; y < FoldSide; y++)
            for (var x = 0; x < FoldSide; x++)
            {
                float s = 0;
                for (var d = 0; d < BinsPerCell; d++) s += rows[((y + d) % FoldSide) * FoldSide + x];
                cellSums[y * FoldSide + x] = s;
            }
    }

    private static (int Row, int Col)[] CellOffsets(int[] cells) =>
        cells.Select(c => (c / TileLayout.CellsPerSide * BinsPerCell, c % TileLayout.CellsPerSide * BinsPerCell)).ToArray();

    private static int Index((int Row, int Col) cell, int shiftX, int shiftY) =>
        ((cell.Row + shiftY) % FoldSide) * FoldSide + ((cell.Col + shiftX) % FoldSide);

    /// <summary>Row length of the cell sums repeated 2x2 (plus one vector of slack), so shifted reads need no
    /// wrap-around and a run of consecutive horizontal shifts is one contiguous vector.</summary>
    private static readonly int TiledWidth = 2 * FoldSide + Vector<float>.Count;

    private static float[] NewTiled() => new float[2 * FoldSide * TiledWidth];

    private static int[] TiledBases((int Row, int Col)[] offsets) => offsets.Select(c => c.Row * TiledWidth + c.Col).ToArray();

    /// <summary>The cyclic shift with the largest pilot statistic (the same statistic as <see cref="ScoreAt"/>),
    /// computed for Vector&lt;float&gt;.Count horizontal shifts at a time.</summary>
    private static (double Z, int ShiftX, int ShiftY) BestShift(float[] cellSums, float[] tiled, int[] bases, float[] signs)
    {
        for (var y = 0; y < 2 * FoldSide; y++)
        {
            var source = cellSums.AsSpan((y % FoldSide) * FoldSide, FoldSide);
            var target = tiled.AsSpan(y * TiledWidth, TiledWidth);
            source.CopyTo(target);
            source.CopyTo(target[FoldSide..]);
            source[..(TiledWidth - 2 * FoldSide)].CopyTo(target[(2 * FoldSide)..]);
        }
        var lanes = Vector<float>.Count;
        Span<float> sums = stackalloc float[lanes];
        Span<float> energies = stackalloc float[lanes];
        var best = (Z: double.NegativeInfinity, X: 0, Y: 0);
        for (var sy = 0; sy < FoldSide; sy++)
            for (var sx0 = 0; sx0 < FoldSide; sx0 += lanes)
            {
                var shift = sy * TiledWidth + sx0;
                var s = Vector<float>.Zero;
                var e = Vector<float>.Zero;
                for (var k = 0; k < bases.Length; k++)
                {
                    var v = new Vector<float>(tiled, bases[k] + shift);
                    s += signs[k] * v;
                    e += v * v;
                }
                s.CopyTo(sums);
                e.CopyTo(energies);
                for (var j = 0; j < lanes && sx0 + j < FoldSide; j++)
                {
                    var z = energies[j] > 1e-12f ? sums[j] / Math.Sqrt(energies[j]) : 0;
                    if (z > best.Z) best = (z, sx0 + j, sy);
                }
            }
        return best;
    }

    /// <summary>Normalised pilot correlation Σ wᵢvᵢ / √Σ vᵢ²: under no mark P(Z ≥ z) ≤ RademacherTail.Bound(z).</summary>
    private static double ScoreAt(float[] cellSums, (int Row, int Col)[] offsets, float[] signs, int sx, int sy)
    {
        double s = 0, e = 0;
        for (var k = 0; k < offsets.Length; k++)
        {
            var v = cellSums[Index(offsets[k], sx, sy)];
            s += signs[k] * v;
            e += v * v;
        }
        return e > 1e-12 ? s / Math.Sqrt(e) : 0;
    }

    /// <summary>The data cells' soft values (positive = coded bit 0) at a hypothesis; returns their energy.</summary>
    private double ReadDataCells(float[] cellSums, (int Row, int Col)[] dataOffsets, SyncHypothesis h, double[] soft)
    {
        double energy = 0;
        for (var k = 0; k < soft.Length; k++)
        {
            var v = cellSums[Index(dataOffsets[k], h.ShiftX, h.ShiftY)];
            soft[k] = _layout.Signs[_layout.DataCellOfBit[k]] * v;
            energy += v * v;
        }
        return energy;
    }

    /// <summary>Normalised correlation of every cell (pilots and the data cells of a decoded word) at a hypothesis.</summary>
    private static double FullScore(float[] cellSums, (int Row, int Col)[] pilotOffsets, float[] pilotSigns, double[] soft,
        bool[] coded, SyncHypothesis h)
    {
        double s = 0, e = 0;
        for (var k = 0; k < soft.Length; k++) { s += coded[k] ? -soft[k] : soft[k]; e += soft[k] * soft[k]; }
        for (var k = 0; k < pilotOffsets.Length; k++)
        {
            var v = cellSums[Index(pilotOffsets[k], h.ShiftX, h.ShiftY)];
            s += pilotSigns[k] * v;
            e += v * v;
        }
        return e > 1e-12 ? s / Math.Sqrt(e) : 0;
    }

    private readonly record struct SyncHypothesis(double Score, double Scale, int ShiftX, int ShiftY, WatermarkOrientations Orientation);
}
