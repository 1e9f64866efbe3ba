using System.Buffers.Binary;
using System.Security.Cryptography;
using Provenance.Signer.Embedding;

namespace Provenance.Signer.Tests;

public sealed class BmffHashingStreamTests
{
    [Fact]
    public async Task WhenHashingFails_AWriterAheadOfTheHasher_GetsTheErrorInsteadOfWaitingForever()
    {
        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.Dispose(); // every AppendData on the hashing thread now throws
        var stream = new BmffHashingStream(Stream.Null, hash);
        var header = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(header, 8 + 16u * 1024 * 1024);
        "mdat"u8.CopyTo(header.AsSpan(4));

        var writing = Task.Run(() =>
        {
            stream.Write(header);
            var block = new byte[64 * 1024];
            for (var written = 0; written < 16 * 1024 * 1024; written += block.Length) stream.Write(block); // 16 chunks, room for 4
        });
        var error = await Record.ExceptionAsync(() => writing.WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.NotNull(error);
        Assert.IsNotType<TimeoutException>(error);
    }
}
