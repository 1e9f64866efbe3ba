using System.Text;
using Provenance.Ledger.Notes;

namespace Provenance.Ledger.Tests.Notes;

/// <summary>C2SP signed notes and checkpoints: the spec's example, both signature types, and rejections.</summary>
public sealed class SignedNoteTests
{
    // The example verifier key and note of c2sp.org/signed-note.
    private const string SpecVerifierKey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
    private const string SpecNote = "This is an example message.\n\n\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

    [Fact]
    public void SpecExample_VerifiesWithItsVerifierKey()
    {
        var verifier = NoteVerifier.Parse(SpecVerifierKey);
        Assert.Equal(0x530d903au, verifier.KeyId);
        Assert.Equal("This is an example message.\n", SignedNote.Parse(SpecNote).Verify([verifier]));
        Assert.Equal(SpecVerifierKey, verifier.ToString());
    }

    [Fact]
    public void SpecExample_WithOneChangedLetter_IsRejected()
    {
        var verifier = NoteVerifier.Parse(SpecVerifierKey);
        var tampered = SignedNote.Parse(SpecNote.Replace("example message", "exemple message", StringComparison.Ordinal));
        Assert.Throws<SignedNoteException>(() => tampered.Verify([verifier]));
    }

    [Fact]
    public void NotesSignedWithBothKeyTypes_VerifyWithEitherPublishedKey()
    {
        var ed = Ed25519NoteSigner.Generate("log.example/test");
        var ec = EcdsaNoteSigner.Generate("log.example/test");
        var note = SignedNote.Sign("log.example/test\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", [ed, ec]).ToString();

        Assert.NotEqual(ed.KeyId, ec.KeyId);
        Assert.Equal(2, SignedNote.Parse(note).Signatures.Count);
        Assert.NotNull(SignedNote.Parse(note).Verify([NoteVerifier.Parse(ed.VerifierKey)]));
        Assert.NotNull(SignedNote.Parse(note).Verify([NoteVerifier.Parse(ec.VerifierKey)]));
    }

    [Fact]
    public void ANoteSignedByAnUnknownKeyOnly_IsRejected()
    {
        var signer = Ed25519NoteSigner.Generate("log.example/a");
        var stranger = Ed25519NoteSigner.Generate("log.example/a");
        var note = SignedNote.Sign("hello\n", [signer]).ToString();
        Assert.Throws<SignedNoteException>(() => SignedNote.Parse(note).Verify([NoteVerifier.FromSigner(stranger)]));
    }

    [Fact]
    public void AKnownKeyWithABadSignature_RejectsTheWholeNote()
    {
        var good = EcdsaNoteSigner.Generate("log.example/a");
        var note = SignedNote.Parse(SignedNote.Sign("hello\n", [good]).ToString());
        var broken = new SignedNote(note.Text, [note.Signatures[0] with { Signature = note.Signatures[0].Signature.Reverse().ToArray() }]);
        Assert.Throws<SignedNoteException>(() => SignedNote.Parse(broken.ToString()).Verify([NoteVerifier.FromSigner(good)]));
    }

    [Theory]
    [InlineData("no blank line\n\u2014 a AAAAAAA=\n")]
    [InlineData("text\n\n\u2014 a AAAAAAA=")]
    [InlineData("text\n\n- a AAAAAAAA\n")]
    [InlineData("text\n\n\u2014 a !!!!\n")]
    [InlineData("text\n\n\u2014 a AAAA\n")]
    [InlineData("te\u0007xt\n\n\u2014 a AAAAAAAA\n")]
    [InlineData("text\n\n\u2014 a+b AAAAAAAA\n")]
    public void MalformedNotes_AreRejectedWithTheDomainException(string note) =>
        Assert.Throws<SignedNoteException>(() => SignedNote.Parse(note));

    [Theory]
    [InlineData("a\n01\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n")]
    [InlineData("a\n-1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n")]
    [InlineData("a\n1\nAAAA\n")]
    [InlineData("\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n")]
    [InlineData("a\n1\n")]
    public void MalformedCheckpointBodies_AreRejected(string text) =>
        Assert.Throws<SignedNoteException>(() => Checkpoint.ParseText(text));

    [Fact]
    public void CheckpointKeys_AreCreatedOwnerOnlyAndReloadedUnchanged()
    {
        using var temp = new TempDirectory();
        var first = CheckpointKeys.LoadOrCreate(temp.Combine("keys"), "log.example/k");
        var second = CheckpointKeys.LoadOrCreate(temp.Combine("keys"), "log.example/k");

        Assert.Equal(first.Ed25519.VerifierKey, second.Ed25519.VerifierKey);
        Assert.Equal(first.Ecdsa.VerifierKey, second.Ecdsa.VerifierKey);
        foreach (var file in new[] { CheckpointKeys.Ed25519FileName, CheckpointKeys.EcdsaFileName })
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(temp.Combine("keys", file)));
        var published = CheckpointKeys.ReadVerifierKeys(temp.Combine("keys", CheckpointKeys.VerifierKeysFileName));
        var note = SignedNote.Sign("x\n", first.Signers).ToString();
        Assert.Equal("x\n", SignedNote.Parse(note).Verify(published));
        Assert.Equal(2, Encoding.UTF8.GetString(File.ReadAllBytes(temp.Combine("keys", CheckpointKeys.VerifierKeysFileName))).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
