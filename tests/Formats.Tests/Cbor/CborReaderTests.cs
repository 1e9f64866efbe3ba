using Provenance.Formats.Cbor;

namespace Provenance.Formats.Tests.Cbor;

public sealed class CborReaderTests
{
    private static CborException DecodeFails(string hex, CborReaderOptions? options = null) =>
        Assert.Throws<CborException>(() => CborValue.Decode(Convert.FromHexString(hex), options));

    [Theory]
    [InlineData("a2616101616102", "duplicate")]       // {"a": 1, "a": 2}
    [InlineData("a201010102", "duplicate")]           // {1: 1, 1: 2}
    [InlineData("a20101180102", "duplicate")]         // {1: 1, 1 (two-byte form): 2}
    [InlineData("a2616101780161", "duplicate")]       // {"a": 1, "a" (long length form): ...}
    [InlineData("bf61610161610102ff", "duplicate")]   // indefinite map with a repeated key
    public void Decode_MapWithDuplicateKey_IsMalformed(string hex, string messagePart)
    {
        var error = DecodeFails(hex);

        Assert.Equal(CborErrorKind.Malformed, error.Kind);
        Assert.Contains(messagePart, error.Message);
    }

    [Theory]
    [InlineData("0000")]
    [InlineData("8001")]
    [InlineData("a0ff")]
    public void Decode_TrailingBytes_AreMalformed(string hex)
    {
        var error = DecodeFails(hex);

        Assert.Contains("trailing", error.Message);
    }

    [Theory]
    [InlineData("")]                    // nothing at all
    [InlineData("18")]                  // header cut short
    [InlineData("1a0000")]
    [InlineData("44010203")]            // byte string shorter than declared
    [InlineData("83010203ff")]          // break in a definite array
    [InlineData("830102")]              // array shorter than declared
    [InlineData("a1")]                  // map with no entries
    [InlineData("1c")]                  // reserved additional information
    [InlineData("1f")]                  // indefinite integer
    [InlineData("ff")]                  // break at top level
    [InlineData("f818")]                // simple value below 32 in two-byte form
    [InlineData("62c328")]              // invalid UTF-8
    [InlineData("5f4101610262ff")]      // text chunk inside a byte string
    [InlineData("5f5f4101ffff")]        // nested indefinite chunk
    [InlineData("bf6161ff")]            // indefinite map ends after a key
    [InlineData("c6")]                  // tag without content
    [InlineData("9f01")]                // indefinite array without break
    public void Decode_MalformedInput_ThrowsMalformed(string hex)
    {
        Assert.Equal(CborErrorKind.Malformed, DecodeFails(hex).Kind);
    }

    [Fact]
    public void Decode_ArrayDeclaringMoreItemsThanBytesLeft_FailsBeforeAllocating()
    {
        // An array claiming 2^32-1 items followed by two bytes.
        var error = DecodeFails("9affffffff0101");

        Assert.Equal(CborErrorKind.Malformed, error.Kind);
        Assert.Contains("cannot fit", error.Message);
    }

    [Fact]
    public void Decode_NestingBeyondLimit_IsLimitExceeded()
    {
        var deep = Enumerable.Repeat((byte)0x81, 1000).Append((byte)0x00).ToArray();

        var error = Assert.Throws<CborException>(() => CborValue.Decode(deep));

        Assert.Equal(CborErrorKind.LimitExceeded, error.Kind);
    }

    [Fact]
    public void Decode_TagsCountTowardsNestingLimit()
    {
        var deep = Enumerable.Repeat((byte)0xC6, 40).Append((byte)0x00).ToArray();

        Assert.Equal(CborErrorKind.LimitExceeded, Assert.Throws<CborException>(() => CborValue.Decode(deep)).Kind);
        Assert.Equal(CborValueKind.Tag, CborValue.Decode(deep, new CborReaderOptions { MaxDepth = 64 }).Kind);
    }

    [Fact]
    public void Decode_NestingAtLimit_Succeeds()
    {
        var nested = Enumerable.Repeat((byte)0x81, 32).Append((byte)0x00).ToArray();

        var value = CborValue.Decode(nested);

        Assert.Equal(nested, value.Encode());
    }

    [Fact]
    public void Decode_IndefiniteLengthWhenDisallowed_IsMalformed()
    {
        Assert.Equal(CborErrorKind.Malformed, DecodeFails("9fff", new CborReaderOptions { AllowIndefiniteLength = false }).Kind);
    }

    [Fact]
    public void Read_FailedReadLeavesPositionAndStateUnchanged()
    {
        // [1, "a", {"k": 1, "k": 2}, h'00']
        var reader = new CborReader(Convert.FromHexString("84016161a2616b01616b024100"));
        Assert.Equal(4, reader.ReadStartArray());
        Assert.Equal(1, reader.ReadInt32());

        int before = reader.Position;
        Assert.Throws<CborException>(() => reader.ReadUInt64());
        Assert.Throws<CborException>(() => reader.ReadByteString());
        Assert.Equal(before, reader.Position);
        Assert.Equal("a", reader.ReadTextString());

        before = reader.Position;
        Assert.Throws<CborException>(() => reader.SkipValue());
        Assert.Equal(before, reader.Position);
        Assert.Equal(2, reader.ReadStartMap());
        Assert.Equal("k", reader.ReadTextString());
        Assert.Equal(1, reader.ReadInt32());
        before = reader.Position;
        Assert.Throws<CborException>(() => reader.ReadTextString());
        Assert.Equal(before, reader.Position);
        Assert.Equal(CborReaderState.TextString, reader.PeekState());
    }

    [Fact]
    public void Read_TruncatedStringLeavesPositionUnchanged()
    {
        var reader = new CborReader(Convert.FromHexString("8245010203"));
        reader.ReadStartArray();

        var error = Assert.Throws<CborException>(() => reader.ReadByteString());

        Assert.Equal(1, reader.Position);
        Assert.Equal(1, error.Position);
    }

    [Fact]
    public void Read_WrongTypeIsUnexpectedTypeNotMalformed()
    {
        var reader = new CborReader(Convert.FromHexString("6161"));

        var error = Assert.Throws<CborException>(() => reader.ReadInt64());

        Assert.Equal(CborErrorKind.UnexpectedType, error.Kind);
        Assert.Equal("a", reader.ReadTextString());
        Assert.Equal(CborReaderState.Finished, reader.PeekState());
    }

    [Fact]
    public void ReadInt64_ValueBeyondRange_IsLimitExceeded()
    {
        var reader = new CborReader(Convert.FromHexString("3bffffffffffffffff"));

        Assert.Equal(CborErrorKind.LimitExceeded, Assert.Throws<CborException>(() => reader.ReadInt64()).Kind);
        Assert.Equal(ulong.MaxValue, reader.ReadNegativeIntegerArgument());
    }

    [Fact]
    public void ReadEncodedValue_ReturnsTheNestedItemBytes()
    {
        // [{"a": [1, 2]}, 7]
        var reader = new CborReader(Convert.FromHexString("82a1616182010207"));
        reader.ReadStartArray();

        var encoded = reader.ReadEncodedValue();

        Assert.Equal("a1616182010 2".Replace(" ", ""), Convert.ToHexStringLower(encoded.Span));
        Assert.Equal(7, reader.ReadInt32());
        reader.ReadEndArray();
        Assert.True(reader.IsFinished);
    }

    [Fact]
    public void Reader_SequenceOptionReadsSeveralTopLevelItems()
    {
        var reader = new CborReader(Convert.FromHexString("0102"), new CborReaderOptions { AllowMultipleRootValues = true });

        Assert.Equal(1, reader.ReadInt32());
        Assert.Equal(2, reader.ReadInt32());
        Assert.Equal(CborReaderState.Finished, reader.PeekState());
    }

    [Fact]
    public void CborMap_MissingKey_ThrowsCborException()
    {
        var map = CborValue.Decode(Convert.FromHexString("a161610 1".Replace(" ", ""))).AsMap();

        Assert.Equal(1, map["a"].AsInt32());
        Assert.Equal(CborErrorKind.MissingKey, Assert.Throws<CborException>(() => map["b"]).Kind);
        Assert.Equal(CborErrorKind.UnexpectedType, Assert.Throws<CborException>(() => map["a"].AsText()).Kind);
    }
}
