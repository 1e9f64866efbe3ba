using System.Buffers.Binary;
using System.Security.Cryptography;
using Provenance.Formats.Bmff;

namespace Provenance.Signer.Embedding;

/// <summary>
/// A write-through stream that computes the <c>c2pa.hash.bmff.v3</c> hash of the top-level boxes written
/// through it, as they are written: for every box except <c>ftyp</c>, <c>mfra</c> and C2PA <c>uuid</c> boxes
/// (the mandatory exclusions), its 8-byte big-endian offset and then its bytes. The media is hashed in the
/// same pass that writes it, on a second thread so that hashing overlaps the writes.
/// </summary>
internal sealed class BmffHashingStream : Stream
{
    private const int ChunkSize = 1 << 20;
    private readonly Stream inner;
    private readonly IncrementalHash hash;
    private readonly System.Threading.Channels.Channel<(byte[] Buffer, int Length)> _pending =
        System.Threading.Channels.Channel.CreateBounded<(byte[], int)>(new System.Threading.Channels.BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
    private readonly Task _hasher;
    private byte[] _chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(ChunkSize);
    private int _chunkFill;

    public BmffHashingStream(Stream inner, IncrementalHash hash)
    {
        this.inner = inner;
        this.hash = hash;
        _hasher = Task.Run(async () =>
        {
            try
            {
                await foreach (var (buffer, length) in _pending.Reader.ReadAllAsync().ConfigureAwait(false))
                {
                    hash.AppendData(buffer, 0, length);
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            catch (Exception e)
            {
                // A writer waiting for room in the full channel would otherwise wait forever: closing the channel with
                // the error fails that write (and every later one) instead.
                _pending.Writer.TryComplete(e);
                throw;
            }
        });
    }

    private const int DecidingHeaderLength = 24; // size, type, extended type: enough to know a C2PA uuid box
    private readonly byte[] _header = new byte[DecidingHeaderLength + 8];
    private int _headerFill;
    private long _boxStart;
    private long _boxEnd;
    private bool _decided;
    private bool _included;
    private long _position;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _position;
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> data)
    {
        inner.Write(data);
        while (!data.IsEmpty)
        {
            if (_decided && _position == _boxEnd)
            {
                _decided = false;
                _headerFill = 0;
                _boxStart = _position;
            }
            if (!_decided)
            {
                int want = Math.Min(NeededHeaderBytes() - _headerFill, data.Length);
                data[..want].CopyTo(_header.AsSpan(_headerFill));
                _headerFill += want;
                _position += want;
                data = data[want..];
                if (_headerFill == NeededHeaderBytes()) Decide();
                continue;
            }
            int take = (int)Math.Min(data.Length, _boxEnd - _position);
            if (_included) Hash(data[..take]);
            _position += take;
            data = data[take..];
        }
    }

    /// <summary>Checks that the last box was written completely and waits until every byte is hashed.</summary>
    public void Complete()
    {
        if (!_decided ? _headerFill != 0 : _position != _boxEnd)
            throw new InvalidOperationException("the rewritten file ended inside a box");
        if (_chunkFill > 0) Enqueue();
        _pending.Writer.Complete();
        _hasher.GetAwaiter().GetResult();
    }

    // Copies into the current chunk; full chunks go to the hashing thread (bounded: the writer waits when it is ahead).
    private void Hash(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            int take = Math.Min(data.Length, ChunkSize - _chunkFill);
            data[..take].CopyTo(_chunk.AsSpan(_chunkFill));
            _chunkFill += take;
            data = data[take..];
            if (_chunkFill == ChunkSize) Enqueue();
        }
    }

    private void Enqueue()
    {
        var chunk = (_chunk, _chunkFill);
        _chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(ChunkSize);
        _chunkFill = 0;
        if (!_pending.Writer.TryWrite(chunk))
            _pending.Writer.WriteAsync(chunk).AsTask().GetAwaiter().GetResult();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _pending.Writer.TryComplete();
            try { _hasher.GetAwaiter().GetResult(); } catch (ObjectDisposedException) { }
        }
        base.Dispose(disposing);
    }

    // 8 bytes for size and type; 16 with a large size; 24 to see a uuid box's extended type (never past the box).
    private int NeededHeaderBytes()
    {
        if (_headerFill < 8) return 8;
        uint size = BinaryPrimitives.ReadUInt32BigEndian(_header);
        int header = size == 1 ? 16 : 8;
        bool uuid = _header.AsSpan(4, 4).SequenceEqual("uuid"u8);
        return uuid ? header + 16 : header;
    }

    private void Decide()
    {
        ulong size = BinaryPrimitives.ReadUInt32BigEndian(_header);
        int headerLength = 8;
        if (size == 1)
        {
            size = BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(8));
            headerLength = 16;
        }
        if (size == 0) size = long.MaxValue - (ulong)_boxStart; // extends to the end of the file
        if (size < (ulong)_headerFill) throw new InvalidOperationException("box smaller than its header in the rewritten file");
        var type = FourCC.FromBytes(_header.AsSpan(4, 4));
        bool c2pa = type == "uuid" && new Guid(_header.AsSpan(headerLength, 16), bigEndian: true) == BmffLayout.C2paUuid;
        _included = type is not ("ftyp" or "mfra") && !c2pa;
        _boxEnd = _boxStart + (long)size;
        _decided = true;
        if (_included)
        {
            Span<byte> offset = stackalloc byte[8];
            BinaryPrimitives.WriteInt64BigEndian(offset, _boxStart);
            Hash(offset);
            Hash(_header.AsSpan(0, _headerFill));
        }
    }

    public override void Flush() => inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
