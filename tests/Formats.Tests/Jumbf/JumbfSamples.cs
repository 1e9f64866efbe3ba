using Provenance.Formats.Cbor;
using Provenance.Formats.Jumbf;

namespace Provenance.Formats.Tests.Jumbf;

internal static class JumbfSamples
{
    /// <summary>A C2PA-shaped manifest store: one manifest with an assertion store, a claim and a signature.</summary>
    public static JumbfSuperBox ManifestStore(int assertions = 2)
    {
        var assertionStore = new JumbfSuperBox(JumbfTypes.AssertionStore, "c2pa.assertions");
        for (int i = 0; i < assertions; i++)
        {
            var content = new CborMap { ["index"] = i, ["name"] = $"assertion {i}" }.Encode();
            assertionStore.Add(new JumbfSuperBox(JumbfTypes.Cbor, i == 0 ? "c2pa.actions.v2" : $"c2pa.test.{i}", JumbfContentBox.Cbor(content)));
        }
        var salted = new JumbfSuperBox(
            new JumbfDescription(JumbfTypes.Json, "stds.schema-org.CreativeWork", privateBox: new JumbfContentBox(JumbfBoxTypes.SaltHash, new byte[16])),
            [JumbfContentBox.Json("{\"author\":\"x\"}")]);
        assertionStore.Add(salted);
        var claim = new JumbfSuperBox(JumbfTypes.Claim, "c2pa.claim.v2", JumbfContentBox.Cbor(new CborMap { ["alg"] = "sha256" }.Encode()));
        var signature = new JumbfSuperBox(JumbfTypes.Signature, "c2pa.signature", JumbfContentBox.Cbor([0xD2, 0x84, 0x40, 0xA0, 0xF6, 0x40]));
        var manifest = new JumbfSuperBox(JumbfTypes.StandardManifest, "urn:c2pa:6d0d4b8e-1f0c-4b8a-9a3e-2b1b7d0c9f11", assertionStore, claim, signature);
        return new JumbfSuperBox(JumbfTypes.ManifestStore, "c2pa", manifest);
    }
}
