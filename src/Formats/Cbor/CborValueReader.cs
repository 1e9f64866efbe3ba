namespace Provenance.Formats.Cbor;

// Builds a CborValue tree from a reader with an explicit stack instead of recursion.
internal static class CborValueReader
{
    private sealed class Pending
    {
        public CborArray? Array { get; init; }
        public CborMap? Map { get; init; }
        public ulong? Tag { get; init; }
        public CborValue? Key { get; set; }
        public int KeyPosition { get; set; }
    }

    public static CborValue ReadValue(CborReader reader)
    {
        var stack = new Stack<Pending>();
        while (true)
        {
            int position = reader.Position;
            CborValue completed;
            switch (reader.PeekState())
            {
                case CborReaderState.StartArray:
                    int? count = reader.ReadStartArray();
                    stack.Push(new Pending { Array = new CborArray(Math.Min(count ?? 4, 1024)) });
                    continue;
                case CborReaderState.StartMap:
                    reader.ReadStartMap();
                    stack.Push(new Pending { Map = new CborMap() });
                    continue;
                case CborReaderState.Tag:
                    stack.Push(new Pending { Tag = reader.ReadTag() });
                    continue;
                case CborReaderState.EndArray:
                    reader.ReadEndArray();
                    completed = stack.Pop().Array!;
                    break;
                case CborReaderState.EndMap:
                    reader.ReadEndMap();
                    completed = stack.Pop().Map!;
                    break;
                case CborReaderState.UnsignedInteger:
                    completed = new CborInteger(reader.ReadUInt64(), isNegative: false);
                    break;
                case CborReaderState.NegativeInteger:
                    completed = new CborInteger(reader.ReadNegativeIntegerArgument(), isNegative: true);
                    break;
                case CborReaderState.ByteString:
                    completed = new CborByteString(reader.ReadByteString());
                    break;
                case CborReaderState.TextString:
                    completed = new CborTextString(reader.ReadTextString());
                    break;
                case CborReaderState.HalfFloat:
                case CborReaderState.SingleFloat:
                case CborReaderState.DoubleFloat:
                    completed = new CborFloat(reader.ReadDouble());
                    break;
                case CborReaderState.Finished:
                    throw new CborException(CborErrorKind.UnexpectedType, "no data item left to read", position);
                default:
                    byte simple = reader.ReadSimpleValue();
                    completed = simple switch
                    {
                        20 => CborValue.False,
                        21 => CborValue.True,
                        22 => CborValue.Null,
                        23 => CborValue.Undefined,
                        _ => new CborSimpleValue(simple),
                    };
                    break;
            }

            while (true)
            {
                if (stack.Count == 0)
                    return completed;
                var top = stack.Peek();
                if (top.Tag is ulong tag)
                {
                    stack.Pop();
                    completed = new CborTag(tag, completed);
                    position = -1;
                    continue;
                }
                if (top.Array is not null)
                {
                    top.Array.Add(completed);
                }
                else if (top.Key is null)
                {
                    top.Key = completed;
                    top.KeyPosition = position;
                }
                else
                {
                    if (!top.Map!.TryAdd(top.Key, completed))
                        throw new CborException(CborErrorKind.Malformed, $"duplicate map key {top.Key}", top.KeyPosition);
                    top.Key = null;
                }
                break;
            }
        }
    }
}
