namespace Provenance.Formats.Bmff;

// Random access to box bytes, from a seekable stream or from memory.
internal abstract class BoxSource
{
    public abstract long Length { get; }

    // Reads exactly buffer.Length bytes at offset; offset + length must lie within Length.
    public abstract void ReadExactly(long offset, Span<byte> buffer);

    public static BoxSource From(Stream stream) => new StreamSource(stream);

    public static BoxSource From(ReadOnlyMemory<byte> memory, long baseOffset) => new MemorySource(memory, baseOffset);

    private sealed class StreamSource(Stream stream) : BoxSource
    {
        private readonly long _length = stream.Length;

        public override long Length => _length;

        public override void ReadExactly(long offset, Span<byte> buffer)
        {
            if (offset < 0 || offset > _length - buffer.Length)
                throw new BmffException($"read of {buffer.Length} bytes past the end of the file", offset);
            stream.Position = offset;
            try
            {
                stream.ReadExactly(buffer);
            }
            catch (EndOfStreamException e)
            {
                throw new BmffException("the file ended early", offset, e);
            }
        }
    }

    // Memory holding the bytes of [baseOffset, baseOffset + memory.Length) of the file.
    private sealed class MemorySource(ReadOnlyMemory<byte> memory, long baseOffset) : BoxSource
    {
        public override long Length => baseOffset + memory.Length;

        public override void ReadExactly(long offset, Span<byte> buffer)
        {
            long relative = offset - baseOffset;
            if (relative < 0 || relative > memory.Length - buffer.Length)
                throw new BmffException($"read of {buffer.Length} bytes outside the box", offset);
            memory.Span.Slice((int)relative, buffer.Length).CopyTo(buffer);
        }
    }
}
