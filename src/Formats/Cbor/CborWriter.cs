using System.Buffers.Binary;
using System.Text;

namespace Provenance.Formats.Cbor;

/// <summary>
/// A CBOR writer that always produces deterministic encoding (RFC 8949 §4.2.1): shortest-form integers,
/// lengths and floats, definite lengths only, map entries sorted bytewise by their encoded keys.
/// Misuse (wrong item counts, duplicate keys, writing after completion) throws <see cref="InvalidOperationException"/>.
/// </summary>
public sealed partial class CborWriter
{
    private byte[] _buffer;
    private int _length;
    private readonly List<WriterFrame> _frames = [];
    private int _rootItems;

    public CborWriter(int initialCapacity = 256)
    {
        _buffer = new byte[Math.Max(16, initialCapacity)];
    }

    /// <summary>Bytes written so far.</summary>
    public int BytesWritten => _length;

    /// <summary>Whether exactly one complete top-level item has been written.</summary>
    public bool IsWriteCompleted => _frames.Count == 0 && _rootItems > 0;

    /// <summary>The encoding written so far; requires a complete top-level item.</summary>
    public byte[] Encode()
    {
        if (!IsWriteCompleted)
            throw new InvalidOperationException("the CBOR item is incomplete");
        return _buffer.AsSpan(0, _length).ToArray();
    }

    /// <summary>Forgets everything written.</summary>
    public void Reset()
    {
        _length = 0;
        _frames.Clear();
        _rootItems = 0;
    }

    public void WriteUInt64(ulong value)
    {
        BeginItem();
        WriteHeader(CborMajorType.UnsignedInteger, value);
        EndItem();
    }

    public void WriteInt64(long value)
    {
        BeginItem();
        if (value >= 0)
            WriteHeader(CborMajorType.UnsignedInteger, (ulong)value);
        else
            WriteHeader(CborMajorType.NegativeInteger, (ulong)(-1 - value));
        EndItem();
    }

    /// <summary>Writes the negative integer -1 - argument (covers the full range down to -2^64).</summary>
    public void WriteNegativeIntegerArgument(ulong argument)
    {
        BeginItem();
        WriteHeader(CborMajorType.NegativeInteger, argument);
        EndItem();
    }

    public void WriteByteString(ReadOnlySpan<byte> value)
    {
        BeginItem();
        WriteHeader(CborMajorType.ByteString, (ulong)value.Length);
        WriteRaw(value);
        EndItem();
    }

    public void WriteTextString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        BeginItem();
        int byteCount = Encoding.UTF8.GetByteCount(value);
        WriteHeader(CborMajorType.TextString, (ulong)byteCount);
        EnsureCapacity(byteCount);
        _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
        EndItem();
    }

    public void WriteBoolean(bool value) => WriteSimpleValue(value ? (byte)21 : (byte)20);

    public void WriteNull() => WriteSimpleValue(22);

    public void WriteUndefined() => WriteSimpleValue(23);

    /// <summary>Writes a simple value (0-23 or 32-255).</summary>
    public void WriteSimpleValue(byte value)
    {
        if (value is >= 24 and < 32)
            throw new ArgumentOutOfRangeException(nameof(value), "simple values 24-31 are reserved");
        BeginItem();
        WriteHeader(CborMajorType.SimpleOrFloat, value);
        EndItem();
    }

    /// <summary>Writes a float in the shortest of half, single or double precision that keeps its value exactly.</summary>
    public void WriteDouble(double value)
    {
        BeginItem();
        EnsureCapacity(9);
        if (double.IsNaN(value))
        {
            WriteRaw([0xF9, 0x7E, 0x00]);
        }
        else if ((double)(Half)value == value)
        {
            _buffer[_length++] = 0xF9;
            BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(_length), BitConverter.HalfToUInt16Bits((Half)value));
            _length += 2;
        }
        else if ((double)(float)value == value)
        {
            _buffer[_length++] = 0xFA;
            BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(_length), BitConverter.SingleToUInt32Bits((float)value));
            _length += 4;
        }
        else
        {
            _buffer[_length++] = 0xFB;
            BinaryPrimitives.WriteUInt64BigEndian(_buffer.AsSpan(_length), BitConverter.DoubleToUInt64Bits(value));
            _length += 8;
        }
        EndItem();
    }

    /// <summary>Writes a tag number; the next item written is its content.</summary>
    public void WriteTag(ulong tag)
    {
        BeginItem();
        WriteHeader(CborMajorType.Tag, tag);
        _frames.Add(new WriterFrame(WriterFrameKind.Tag, 1, _length));
    }

    /// <summary>Writes one already-encoded data item (checked to be exactly one well-formed item).</summary>
    public void WriteEncodedValue(ReadOnlySpan<byte> encoded)
    {
        var copy = encoded.ToArray();
        var reader = new CborReader(copy, new CborReaderOptions { MaxDepth = 1024 });
        try
        {
            reader.SkipValue();
        }
        catch (CborException e)
        {
            throw new ArgumentException($"not a single well-formed CBOR item: {e.Message}", nameof(encoded), e);
        }
        BeginItem();
        WriteRaw(copy);
        EndItem();
    }

    private void WriteHeader(CborMajorType major, ulong argument)
    {
        EnsureCapacity(9);
        byte initial = (byte)((byte)major << 5);
        var span = _buffer.AsSpan(_length);
        if (argument < 24)
        {
            span[0] = (byte)(initial | (byte)argument);
            _length += 1;
        }
        else if (argument <= byte.MaxValue)
        {
            span[0] = (byte)(initial | 24);
            span[1] = (byte)argument;
            _length += 2;
        }
        else if (argument <= ushort.MaxValue)
        {
            span[0] = (byte)(initial | 25);
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)argument);
            _length += 3;
        }
        else if (argument <= uint.MaxValue)
        {
            span[0] = (byte)(initial | 26);
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)argument);
            _length += 5;
        }
        else
        {
            span[0] = (byte)(initial | 27);
            BinaryPrimitives.WriteUInt64BigEndian(span[1..], argument);
            _length += 9;
        }
    }

    private void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        EnsureCapacity(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void EnsureCapacity(int extra)
    {
        long needed = (long)_length + extra;
        if (needed <= _buffer.Length)
            return;
        if (needed > Array.MaxLength)
            throw new InvalidOperationException("CBOR output exceeds the largest array");
        int size = (int)Math.Min(Array.MaxLength, Math.Max(needed, (long)_buffer.Length * 2));
        Array.Resize(ref _buffer, size);
    }
}
