using Provenance.Formats.Cbor;

namespace Provenance.Signer.Manifest;

/// <summary>A C2PA hashed URI: a JUMBF URI and the SHA-256 of the referenced superbox's contents.</summary>
public sealed record HashedUri(string Url, byte[] Hash, string? Alg = null)
{
    public CborMap ToCbor()
    {
        var map = new CborMap { { "url", Url }, { "hash", new CborByteString(Hash) } };
        if (Alg is not null) map.Add("alg", Alg);
        return map;
    }

    /// <summary>Reads <c>{url, hash, alg?}</c>; throws <see cref="CborException"/> on another shape.</summary>
    public static HashedUri FromCbor(CborValue value)
    {
        var map = value.AsMap();
        var url = (map.GetValueOrDefault("url") ?? throw new CborException(CborErrorKind.MissingKey, "hashed URI without url")).AsText();
        var hash = (map.GetValueOrDefault("hash") ?? throw new CborException(CborErrorKind.MissingKey, "hashed URI without hash")).AsBytes();
        return new HashedUri(url, hash, map.GetValueOrDefault("alg")?.AsText());
    }
}
