using System.Buffers.Binary;

namespace Provenance.Formats.Bmff;

// Patches 'iloc' (ISO 14496-12 §8.11.3) items stored at absolute file offsets (construction method 0, data
// reference 0). Items in 'idat' or in other items move with their box and are left alone. Every field read is
// bounds-checked; an item whose extents would move by different amounts is refused.
internal static class ItemLocationPatcher
{
    public static int Patch(Span<byte> content, Func<long, long> shift, long boxOffset)
    {
        var cursor = new Cursor(content, boxOffset);
        byte version = (byte)cursor.Read(1);
        if (version > 2)
            throw new BmffException($"'iloc' version {version} is unknown", boxOffset);
        cursor.Skip(3);
        int sizes = (int)cursor.Read(2);
        int offsetSize = sizes >> 12, lengthSize = (sizes >> 8) & 0xF, baseOffsetSize = (sizes >> 4) & 0xF;
        int indexSize = version is 1 or 2 ? sizes & 0xF : 0;
        foreach (int size in new[] { offsetSize, lengthSize, baseOffsetSize, indexSize })
        {
            if (size is not (0 or 4 or 8))
                throw new BmffException($"'iloc' field size {size} is not 0, 4 or 8", boxOffset);
        }
        long itemCount = cursor.Read(version < 2 ? 2 : 4);
        int changed = 0;
        for (long item = 0; item < itemCount; item++)
        {
            cursor.Skip(version < 2 ? 2 : 4);
            int construction = version is 1 or 2 ? (int)(cursor.Read(2) & 0xF) : 0;
            long dataReference = cursor.Read(2);
            int baseAt = cursor.Position;
            long baseOffset = cursor.Read(baseOffsetSize);
            long extentCount = cursor.Read(2);
            if (extentCount > 1 && offsetSize + lengthSize + indexSize == 0)
                throw new BmffException("'iloc' lists several extents that have no fields", boxOffset);
            bool absolute = construction == 0 && dataReference == 0;
            long? itemDelta = null;
            for (long extent = 0; extent < extentCount; extent++)
            {
                cursor.Skip(indexSize);
                int offsetAt = cursor.Position;
                long extentOffset = cursor.Read(offsetSize);
                cursor.Skip(lengthSize);
                if (!absolute)
                    continue;
                if (extentOffset > long.MaxValue - baseOffset)
                    throw new BmffException("'iloc' extent offset overflows", boxOffset);
                long position = baseOffset + extentOffset;
                long delta = shift(position) - position;
                if (baseOffsetSize > 0)
                {
                    if (itemDelta is long previous && previous != delta)
                        throw new BmffException("an 'iloc' item's extents would move by different amounts", boxOffset);
                    itemDelta = delta;
                }
                else if (delta != 0)
                {
                    if (offsetSize == 0)
                        throw new BmffException("an 'iloc' extent without an offset field would move", boxOffset);
                    cursor.Write(offsetAt, offsetSize, extentOffset + delta);
                    changed++;
                }
            }
            if (itemDelta is long moved && moved != 0)
            {
                cursor.Write(baseAt, baseOffsetSize, baseOffset + moved);
                changed++;
            }
        }
        if (cursor.Position != content.Length)
            throw new BmffException($"{content.Length - cursor.Position} unexpected bytes after the 'iloc' items", boxOffset);
        return changed;
    }

    private ref struct Cursor(Span<byte> bytes, long boxOffset)
    {
        private readonly Span<byte> _bytes = bytes;

        public int Position { get; private set; }

        public long Read(int width)
        {
            if (width == 0)
                return 0;
            if (_bytes.Length - Position < width)
                throw new BmffException("'iloc' is cut short", boxOffset);
            var field = _bytes.Slice(Position, width);
            Position += width;
            ulong value = width switch
            {
                1 => field[0],
                2 => BinaryPrimitives.ReadUInt16BigEndian(field),
                4 => BinaryPrimitives.ReadUInt32BigEndian(field),
                _ => BinaryPrimitives.ReadUInt64BigEndian(field),
            };
            if (value > long.MaxValue)
                throw new BmffException("'iloc' holds an offset beyond 2^63", boxOffset);
            return (long)value;
        }

        public void Skip(int width)
        {
            if (_bytes.Length - Position < width)
                throw new BmffException("'iloc' is cut short", boxOffset);
            Position += width;
        }

        public readonly void Write(int at, int width, long value)
        {
            if (value < 0 || (width == 4 && value > uint.MaxValue))
                throw new BmffException($"'iloc' offset {value} no longer fits {width * 8} bits", boxOffset);
            if (width == 4)
                BinaryPrimitives.WriteUInt32BigEndian(_bytes[at..], (uint)value);
            else
                BinaryPrimitives.WriteUInt64BigEndian(_bytes[at..], (ulong)value);
        }
    }
}
