using Npgsql;
using Provenance.Ledger.Log;
using Provenance.Testing.Postgres;

namespace Provenance.Ledger.Tests.Log;

/// <summary>The database itself refuses to rewrite history, whoever asks.</summary>
public sealed class HistoryProtectionTests : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private readonly PostgresDatabase _db;
    private readonly TempDirectory _temp = new();

    public HistoryProtectionTests(PostgresDatabase db) => _db = db;

    public async Task InitializeAsync()
    {
        // xunit makes one instance per test; the class's database is seeded once.
        if (await ScalarAsync("SELECT tree_size FROM ledger_tree_state") > 0) return;
        await using var log = await TransparencyLog.OpenAsync(_db.DataSource, TestEntries.FastOptions(), TestEntries.Keys(_temp), CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(0, 300).Select(i => log.SequenceAsync(TestEntries.Make(i), CancellationToken.None)));
        await log.AppendAsync(TestEntries.Make(1000), CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("UPDATE ledger_entries SET data = '\\x00'::bytea WHERE idx = 1")]
    [InlineData("DELETE FROM ledger_entries WHERE idx = 299")]
    [InlineData("TRUNCATE ledger_entries")]
    [InlineData("UPDATE ledger_checkpoints SET note = 'forged'")]
    [InlineData("DELETE FROM ledger_checkpoints")]
    [InlineData("TRUNCATE ledger_checkpoints")]
    [InlineData("UPDATE ledger_tiles SET hashes = substring(hashes FROM 1 FOR 32) WHERE level = 0 AND idx = 0")]
    [InlineData("UPDATE ledger_tiles SET hashes = decode(repeat('00', 8192), 'hex') WHERE level = 0 AND idx = 0")]
    [InlineData("DELETE FROM ledger_tiles")]
    [InlineData("UPDATE ledger_tree_state SET tree_size = 10")]
    [InlineData("UPDATE ledger_tree_state SET root_hash = sha256('x'::bytea)")]
    [InlineData("DELETE FROM ledger_tree_state")]
    public async Task RewritingHistory_IsRefusedByTheDatabase(string sql)
    {
        await using var command = _db.DataSource.CreateCommand(sql);

        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.Equal(PostgresErrorCodes.IntegrityConstraintViolation, error.SqlState);
        Assert.Equal(301L, await ScalarAsync("SELECT count(*) FROM ledger_entries"));
        Assert.Equal(301L, await ScalarAsync("SELECT tree_size FROM ledger_tree_state"));
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var command = _db.DataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
