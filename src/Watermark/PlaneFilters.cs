namespace Provenance.Watermark;

/// <summary>Small image operations on float planes used by the extractor.</summary>
internal static class PlaneFilters
{
    /// <summary>Area-average downscale (or plain copy when the size is unchanged) of an 8-bit plane.</summary>
    public static void Resample(ReadOnlySpan<byte> src, int width, int height, int stride, float[] dst, int outWidth, int outHeight)
    {
        if (outWidth == width && outHeight == height)
        {
            for (var y = 0; y < height; y++)
            {
                var row = src.Slice(y * stride, width);
                for (var x = 0; x < width; x++) dst[y * width + x] = row[x];
            }
            return;
        }
        var (xi, xw) = AreaWeights(width, outWidth);
        var (yi, yw) = AreaWeights(height, outHeight);
        var tmp = new float[outWidth * height];
        for (var y = 0; y < height; y++)
        {
            var row = src.Slice(y * stride, width);
            for (var ox = 0; ox < outWidth; ox++)
            {
                double acc = 0;
                var list = xi[ox]; var w = xw[ox];
                for (var k = 0; k < list.Length; k++) acc += row[list[k]] * w[k];
                tmp[y * outWidth + ox] = (float)acc;
            }
        }
        for (var oy = 0; oy < outHeight; oy++)
        {
            var list = yi[oy]; var w = yw[oy];
            var o = oy * outWidth;
            for (var ox = 0; ox < outWidth; ox++) dst[o + ox] = 0;
            for (var k = 0; k < list.Length; k++)
            {
                var s = list[k] * outWidth; var wk = (float)w[k];
                for (var ox = 0; ox < outWidth; ox++) dst[o + ox] += tmp[s + ox] * wk;
            }
        }
    }

    private static (int[][] Index, double[][] Weight) AreaWeights(int inLength, int outLength)
    {
        var scale = (double)inLength / outLength;
        var idx = new int[outLength][]; var wts = new double[outLength][];
        for (var o = 0; o < outLength; o++)
        {
            var a = o * scale; var b = (o + 1) * scale;
            var i0 = (int)Math.Floor(a); var i1 = Math.Min(inLength - 1, (int)Math.Ceiling(b) - 1);
            var list = new List<int>(); var w = new List<double>();
            for (var i = i0; i <= i1; i++)
            {
                var cover = Math.Min(b, i + 1) - Math.Max(a, i);
                if (cover <= 0) continue;
                list.Add(i); w.Add(cover / scale);
            }
            idx[o] = [.. list]; wts[o] = [.. w];
        }
        return (idx, wts);
    }

    /// <summary>Mean over a (2r+1)² window, clamped at the borders (normalised by the pixels inside).</summary>
    public static void BoxMean(float[] src, int width, int height, int radius, float[] dst)
    {
        var tmp = new float[width * height];
        for (var y = 0; y < height; y++)
        {
            var o = y * width;
            double acc = 0; var count = 0;
            for (var x = 0; x <= Math.Min(radius, width - 1); x++) { acc += src[o + x]; count++; }
            for (var x = 0; x < width; x++)
            {
                tmp[o + x] = (float)(acc / count);
                var add = x + radius + 1; var remove = x - radius;
                if (add < width) { acc += src[o + add]; count++; }
                if (remove >= 0) { acc -= src[o + remove]; count--; }
            }
        }
        var colAcc = new double[width];
        var rows = 0;
        for (var y = 0; y <= Math.Min(radius, height - 1); y++) { AddRow(tmp, y, width, colAcc, 1); rows++; }
        for (var y = 0; y < height; y++)
        {
            var o = y * width;
            for (var x = 0; x < width; x++) dst[o + x] = (float)(colAcc[x] / rows);
            var add = y + radius + 1; var remove = y - radius;
            if (add < height) { AddRow(tmp, add, width, colAcc, 1); rows++; }
            if (remove >= 0) { AddRow(tmp, remove, width, colAcc, -1); rows--; }
        }
    }

    private static void AddRow(float[] src, int y, int width, double[] acc, int sign)
    {
        var o = y * width;
        for (var x = 0; x < width; x++) acc[x] += sign * src[o + x];
    }
}
