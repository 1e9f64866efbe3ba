using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Provenance.Signer.Certificates;
using Provenance.Signer.TimeStamping;

namespace Provenance.Signer.Tests;

public sealed class TimeStampAuthorityTests
{
    private static (TimeStampAuthority Authority, X509Certificate2 Root) NewAuthority()
    {
        var root = CertificateAuthority.CreateRoot("CN=Test Root", SigningAlgorithm.Es256, TimeSpan.FromDays(10));
        var intermediate = CertificateAuthority.CreateIntermediate(root, "CN=Test Intermediate", SigningAlgorithm.Es256, TimeSpan.FromDays(10));
        var tsa = CertificateAuthority.IssueTimeStamping(intermediate, "CN=Test TSA", SigningAlgorithm.Es256, TimeSpan.FromDays(10));
        return (new TimeStampAuthority(tsa, [intermediate]), root);
    }

    [Fact]
    public void Respond_ToAValidRequest_GivesATokenThatDotNetVerifiesForTheData()
    {
        var (authority, _) = NewAuthority();
        var data = "counter-signature structure"u8.ToArray();
        var nonce = RandomNumberGenerator.GetBytes(8);
        nonce[0] = (byte)((nonce[0] & 0x7F) | 0x01); // a positive INTEGER without a leading zero byte
        var request = Rfc3161TimestampRequest.CreateFromData(data, HashAlgorithmName.SHA256, nonce: nonce, requestSignerCertificates: true);

        var token = request.ProcessResponse(authority.Respond(request.Encode()), out _);

        Assert.True(token.VerifySignatureForData(data, out var signer));
        Assert.Equal(authority.Certificate.Thumbprint, signer!.Thumbprint);
        Assert.Equal(nonce, token.TokenInfo.GetNonce()!.Value.ToArray());
        Assert.InRange(token.TokenInfo.Timestamp, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.False(token.VerifySignatureForData("other data"u8, out _));
        Assert.Equal(2, token.AsSignedCms().Certificates.Count);
    }

    [Fact]
    public void Serials_AreAlwaysMinimalPositiveDerIntegers_SoTokensCanAlwaysBeEncoded()
    {
        // One random serial in 256 used to start with a zero byte followed by one below 0x80, which the token's DER
        // encoder refuses: time-stamping then failed at random. The writer below refuses exactly those serials.
        for (var i = 0; i < 20_000; i++)
        {
            var serial = CertificateAuthority.NewSerial();
            Assert.Equal(16, serial.Length);
            Assert.InRange(serial[0], 0x01, 0x7F);
            new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER).WriteInteger(serial);
        }
        var (authority, _) = NewAuthority();
        for (var i = 0; i < 1_000; i++)
        {
            var token = authority.CreateToken(new Oid("2.16.840.1.101.3.4.2.1"), SHA256.HashData(BitConverter.GetBytes(i)), nonce: null);
            Assert.True(Rfc3161TimestampToken.TryDecode(token, out var decoded, out _));
            Assert.InRange(decoded!.TokenInfo.GetSerialNumber().Span[0], 0x01, 0x7F);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("3003020100")]
    [InlineData("deadbeef")]
    public void Respond_ToGarbage_GivesARejectionNotAnException(string hex)
    {
        var (authority, _) = NewAuthority();
        var reply = authority.Respond(Convert.FromHexString(hex));
        // PKIStatusInfo.status = 2 (rejection)
        Assert.Equal(new byte[] { 0x02, 0x01, 0x02 }, reply.AsSpan(4, 3).ToArray());
    }

    [Fact]
    public void TimeStampCertificate_CarriesOnlyTheCriticalTimeStampingEku()
    {
        var (authority, _) = NewAuthority();
        var eku = authority.Certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.True(eku.Critical);
        Assert.Equal([CertificateAuthority.TimeStampingEku], eku.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
    }

    [Fact]
    public async Task ClientAgainstTheHttpServer_ObtainsAVerifiableToken()
    {
        var (authority, _) = NewAuthority();
        int port = FreePort();
        using var server = new TimeStampServer(authority, $"http://127.0.0.1:{port}/");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var serving = server.RunAsync(cts.Token);
        using var http = new HttpClient();
        var client = new TimeStampClient(http, server.Url);
        var data = "payload"u8.ToArray();

        var tokenBytes = await client.TimeStampAsync(data, cts.Token);

        Assert.True(Rfc3161TimestampToken.TryDecode(tokenBytes, out var token, out _));
        Assert.True(token!.VerifySignatureForData(data, out _));
        cts.Cancel();
        await serving;
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
