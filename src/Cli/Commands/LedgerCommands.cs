using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using Provenance.Api.Hosting;
using Provenance.Api.Ledger;
using Provenance.Ledger.Database;
using Provenance.Ledger.Log;
using Provenance.Ledger.Merkle;
using Provenance.Ledger.Notes;

namespace Provenance.Cli.Commands;

/// <summary><c>provenance ledger checkpoint | proof | verify-receipt | audit | keys</c>: the transparency log.</summary>
internal static class LedgerCommands
{
    public static Command Create()
    {
        var cmd = new Command("ledger", "The transparency log: checkpoints, proofs, offline receipt verification, audit.");
        cmd.Subcommands.Add(Checkpoint());
        cmd.Subcommands.Add(Proof());
        cmd.Subcommands.Add(VerifyReceipt());
        cmd.Subcommands.Add(Audit());
        cmd.Subcommands.Add(Keys());
        return cmd;
    }

    private static Command Checkpoint()
    {
        var output = new Option<string?>("--out") { Description = "Also save the checkpoint to this file (for a later audit)." };
        var cmd = new Command("checkpoint", "Print the latest signed checkpoint.") { output };
        cmd.SetAction(async (parse, ct) => await WithLedgerAsync(async ledger =>
        {
            var reader = await ledger.GetReaderAsync(ct);
            if (await reader.GetLatestCheckpointAsync(ct) is not { } checkpoint)
            {
                Console.Error.WriteLine("no checkpoint has been published yet");
                return 1;
            }
            Console.Write(checkpoint.Note);
            if (parse.GetValue(output) is { Length: > 0 } path) await File.WriteAllTextAsync(path, checkpoint.Note, ct);
            return 0;
        }));
        return cmd;
    }

    private static Command Proof()
    {
        var index = new Option<long?>("--index") { Description = "Entry index: print its receipt (tlog-proof) against the latest checkpoint." };
        var from = new Option<long?>("--from") { Description = "Consistency proof from this tree size..." };
        var to = new Option<long?>("--to") { Description = "...to this tree size (default: the committed size)." };
        var cmd = new Command("proof", "Print an entry's receipt, or a consistency proof between two tree sizes.") { index, from, to };
        cmd.SetAction(async (parse, ct) => await WithLedgerAsync(async ledger =>
        {
            var reader = await ledger.GetReaderAsync(ct);
            if (parse.GetValue(index) is { } i)
            {
                if (await reader.GetReceiptAsync(i, ct) is not { } receipt)
                {
                    Console.Error.WriteLine($"entry {i} is not covered by a published checkpoint (or does not exist)");
                    return 1;
                }
                Console.Write(receipt.ToTlogProof());
                return 0;
            }
            if (parse.GetValue(from) is { } size1)
            {
                var size2 = parse.GetValue(to) ?? (await reader.GetTreeHeadAsync(ct)).Size;
                try
                {
                    foreach (var hash in await reader.GetConsistencyProofAsync(size1, size2, ct)) Console.WriteLine(Convert.ToBase64String(hash));
                    return 0;
                }
                catch (MerkleProofException e)
                {
                    Console.Error.WriteLine($"error: {e.Message}");
                    return 2;
                }
            }
            Console.Error.WriteLine("give --index N, or --from A [--to B]");
            return 2;
        }));
        return cmd;
    }

    private static Command VerifyReceipt()
    {
        var file = new Argument<string>("receipt") { Description = "A .tlog-proof file." };
        var keys = new Option<string[]>("--key") { Description = "Trusted verifier key (C2SP vkey); repeatable.", AllowMultipleArgumentsPerToken = true };
        var keysFile = new Option<string?>("--keys") { Description = "File of trusted verifier keys, one per line (checkpoint.vkeys)." };
        var origin = new Option<string?>("--origin") { Description = "Expected log origin (default: Ledger:Origin or the key name)." };
        var cmd = new Command("verify-receipt", "Verify a receipt offline: checkpoint signature, origin, inclusion proof.") { file, keys, keysFile, origin };
        cmd.SetAction(parse =>
        {
            try
            {
                var trusted = (parse.GetValue(keys) ?? []).Select(NoteVerifier.Parse).ToList();
                if (parse.GetValue(keysFile) is { Length: > 0 } path) trusted.AddRange(CheckpointKeys.ReadVerifierKeys(path));
                if (trusted.Count == 0)
                {
                    Console.Error.WriteLine("error: give the log's public key with --key or --keys");
                    return 2;
                }
                var expectedOrigin = parse.GetValue(origin) ?? CliHost.LoadConfiguration()["Ledger:Origin"] ?? trusted[0].Name;
                var (entry, checkpoint) = LedgerReceipt.Parse(File.ReadAllText(parse.GetValue(file)!)).Verify(expectedOrigin, trusted);
                Console.WriteLine($"OK: entry {entry.Index} is in {checkpoint.Origin} at tree size {checkpoint.Size}");
                Console.WriteLine($"  asset id {LedgerEntry.FormatId(entry.Entry.AssetId)}, manifest {Convert.ToHexStringLower(entry.Entry.ManifestHash)}");
                Console.WriteLine($"  generator {entry.Entry.GeneratorId}, integrated {entry.IntegratedTime:O}");
                return 0;
            }
            catch (Exception e) when (e is ReceiptVerificationException or SignedNoteException or IOException)
            {
                Console.Error.WriteLine($"INVALID: {e.Message}");
                return 1;
            }
        });
        return cmd;
    }

    private static Command Audit()
    {
        var saved = new Option<string?>("--checkpoint") { Description = "A checkpoint saved earlier: the log must be consistent with it." };
        var keysFile = new Option<string?>("--keys") { Description = "Trusted verifier keys (default: the log's own key folder)." };
        var skipEntries = new Option<bool>("--skip-entries") { Description = "Check tiles only, not every entry's leaf hash." };
        var cmd = new Command("audit", "Recompute the tree from all tiles (and entries), check the root, checkpoints and consistency.") { saved, keysFile, skipEntries };
        cmd.SetAction(async (parse, ct) => await WithLedgerAsync(async ledger =>
        {
            var reader = await ledger.GetReaderAsync(ct);
            var trusted = parse.GetValue(keysFile) is { Length: > 0 } path
                ? CheckpointKeys.ReadVerifierKeys(path)
                : ledger.VerifierKeys().Select(NoteVerifier.Parse).ToList();
            var savedNote = parse.GetValue(saved) is { Length: > 0 } file ? await File.ReadAllTextAsync(file, ct) : null;
            var progress = new Progress<long>(n => Console.Error.Write($"\raudited {n:N0} entries"));
            var report = await LedgerAuditor.AuditAsync(reader.DataSource, ledger.Options.Origin, trusted, savedNote, !parse.GetValue(skipEntries), progress, ct);
            Console.Error.WriteLine();
            Console.WriteLine($"tree size {report.TreeSize}, root {Convert.ToBase64String(report.RootHash)}, {report.EntriesChecked} entries and {report.TilesChecked} tiles checked");
            foreach (var problem in report.Problems) Console.WriteLine($"PROBLEM: {problem}");
            Console.WriteLine(report.Passed ? "audit passed" : "audit FAILED");
            return report.Passed ? 0 : 1;
        }));
        return cmd;
    }

    private static Command Keys()
    {
        var cmd = new Command("keys", "Print the log's public verifier keys (creating the signing keys if missing).");
        cmd.SetAction(_ =>
        {
            var options = LedgerProvider.ReadOptions(CliHost.LoadConfiguration());
            foreach (var key in CheckpointKeys.LoadOrCreate(options.KeyDirectory!, options.Origin).Signers) Console.WriteLine(key.VerifierKey);
            return 0;
        });
        return cmd;
    }

    private static async Task<int> WithLedgerAsync(Func<LedgerProvider, Task<int>> work)
    {
        // No logging here: these commands print proofs and checkpoints on stdout for other tools to read.
        var configuration = CliHost.LoadConfiguration();
        await using var database = new DatabaseProvider(configuration, NullLogger<DatabaseProvider>.Instance);
        try
        {
            await using var ledger = new LedgerProvider(database, configuration);
            await ledger.EnsureSchemaAsync(CancellationToken.None);
            return await work(ledger);
        }
        catch (Exception e) when (e is EmbeddedPostgresException or Npgsql.NpgsqlException or LedgerIntegrityException or MigrationException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }
}
