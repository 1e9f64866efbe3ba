using System.Text;

namespace Provenance.Media;

/// <summary>Keeps the last N bytes a tool wrote on stderr, so errors can quote it without unbounded memory.</summary>
internal sealed class StderrTail
{
    private readonly byte[] _ring;
    private readonly object _gate = new();
    private long _written;

    public StderrTail(int capacity) => _ring = new byte[Math.Max(256, capacity)];

    /// <summary>Total bytes seen, including those that fell out of the tail.</summary>
    public long TotalBytes
    {
        get { lock (_gate) { return _written; } }
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            if (data.Length >= _ring.Length)
            {
                data = data[^_ring.Length..];
            }
            var start = (int)(_written % _ring.Length);
            var first = Math.Min(data.Length, _ring.Length - start);
            data[..first].CopyTo(_ring.AsSpan(start));
            data[first..].CopyTo(_ring);
            _written += data.Length;
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            if (_written <= _ring.Length)
            {
                return Encoding.UTF8.GetString(_ring, 0, (int)_written).Trim();
            }
            var start = (int)(_written % _ring.Length);
            var ordered = new byte[_ring.Length];
            _ring.AsSpan(start).CopyTo(ordered);
            _ring.AsSpan(0, start).CopyTo(ordered.AsSpan(_ring.Length - start));
            var text = Encoding.UTF8.GetString(ordered);
            var firstBreak = text.IndexOf('\n');
            return (firstBreak >= 0 ? text[(firstBreak + 1)..] : text).Trim();
        }
    }
}
