using Provenance.Generator.Pipeline;

namespace Provenance.Api.Ledger;

/// <summary>The generator's ledger in this process: the transparency log of <see cref="LedgerProvider"/>, opened on first
/// append after bringing a never-migrated database up to this build's schema.</summary>
public sealed class ServiceLedgerAppender(LedgerProvider ledger, IConfiguration configuration) : ILedgerAppender
{
    private readonly string _generatorId = configuration["Provenance:Generator:Id"] ?? "provenance-generator";

    public async Task<LedgerReceipt> AppendAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        await ledger.EnsureSchemaAsync(cancellationToken);
        var log = await ledger.GetLogAsync(cancellationToken);
        return await new TransparencyLogAppender(log, _generatorId).AppendAsync(entry, cancellationToken);
    }
}
