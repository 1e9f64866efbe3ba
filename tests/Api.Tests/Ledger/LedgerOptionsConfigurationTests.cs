using Microsoft.Extensions.Configuration;
using Provenance.Api.Ledger;
using Provenance.Ledger.Log;

namespace Provenance.Api.Tests.Ledger;

/// <summary>The ledger options read from configuration (the <c>Ledger</c> section) by <see cref="LedgerProvider"/>.</summary>
public sealed class LedgerOptionsConfigurationTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();

    [Fact]
    public void Configured_lookup_indexer_settings_reach_the_ledger_options()
    {
        var options = LedgerProvider.ReadOptions(Configuration(
            ("Ledger:LookupIndexChunkSize", "512"),
            ("Ledger:LookupIndexPollIntervalMs", "2500"),
            ("Ledger:LookupIndexGatherDelayMs", "0"),
            ("Ledger:CheckpointIntervalMs", "75"),
            ("Ledger:MaxBatchSize", "64"),
            ("Ledger:BatchLingerMs", "0"),
            ("Ledger:QueueCapacity", "4096")));

        Assert.Equal(512, options.LookupIndexChunkSize);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), options.LookupIndexPollInterval);
        Assert.Equal(TimeSpan.Zero, options.LookupIndexGatherDelay);
        Assert.Equal(TimeSpan.FromMilliseconds(75), options.CheckpointInterval);
        Assert.Equal(64, options.MaxBatchSize);
        Assert.Equal(TimeSpan.Zero, options.BatchLinger);
        Assert.Equal(4096, options.QueueCapacity);
    }

    [Fact]
    public void Absent_lookup_indexer_settings_keep_the_defaults()
    {
        var defaults = new LedgerOptions();
        var options = LedgerProvider.ReadOptions(Configuration(("Ledger:Origin", "config.test/ledger")));

        Assert.Equal("config.test/ledger", options.Origin);
        Assert.Equal(defaults.LookupIndexChunkSize, options.LookupIndexChunkSize);
        Assert.Equal(defaults.LookupIndexPollInterval, options.LookupIndexPollInterval);
        Assert.Equal(defaults.LookupIndexGatherDelay, options.LookupIndexGatherDelay);
        Assert.Equal(defaults.BatchLinger, options.BatchLinger);
        Assert.Equal(defaults.QueueCapacity, options.QueueCapacity);
    }

    [Theory]
    [InlineData("LookupIndexChunkSize", "0")]
    [InlineData("LookupIndexChunkSize", "many")]
    [InlineData("LookupIndexPollIntervalMs", "-5")]
    [InlineData("LookupIndexPollIntervalMs", "1.5")]
    [InlineData("LookupIndexGatherDelayMs", "-1")]
    [InlineData("CheckpointIntervalMs", "0")]
    [InlineData("MaxBatchSize", "99999999999")]
    [InlineData("BatchLingerMs", "-2")]
    [InlineData("QueueCapacity", "0")]
    public void A_bad_numeric_setting_is_rejected_with_a_message_naming_its_key(string key, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => LedgerProvider.ReadOptions(Configuration(($"Ledger:{key}", value))));

        Assert.Contains($"Ledger:{key}", error.Message);
        Assert.Contains(value, error.Message);
    }
}
