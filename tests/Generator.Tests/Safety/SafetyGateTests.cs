using System.Text.Json;
using Provenance.Generator.Safety;
using Provenance.Testing;

namespace Provenance.Generator.Tests.Safety;

public sealed class SafetyGateTests
{
    private const string SmallPolicy = """
        {
          "name": "test",
          "sets": { "weapons": ["laser sword", "blaster"] },
          "rules": [
            { "id": "no-weapons", "category": "violence", "code": "violence.weapon", "terms": ["@weapons"] }
          ],
          "people": { "namesFile": "names.txt" }
        }
        """;

    [Fact]
    public async Task Decisions_AreAuditedWithASaltedHashAndNoPrompt()
    {
        using var dir = new TempFolder();
        var gate = SafetyGate.Create(new SafetyOptions { AuditLogPath = dir.File("audit.jsonl") });
        var refused = await gate.CheckAsync("a naked man", "user-7", CancellationToken.None);
        var allowed = await gate.CheckAsync("a quiet lake", null, CancellationToken.None);

        Assert.False(refused.Allowed);
        Assert.Equal("sexual.explicit", refused.ReasonCode);
        Assert.True(allowed.Allowed);
        var log = await File.ReadAllTextAsync(dir.File("audit.jsonl"));
        Assert.DoesNotContain("naked man", log);
        Assert.DoesNotContain("quiet lake", log);
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal("sexual.explicit", lines[0].GetProperty("reasonCode").GetString());
        Assert.Equal("user-7", lines[0].GetProperty("subject").GetString());
        Assert.Equal(SafetyPolicy.Default.Version, lines[0].GetProperty("policyVersion").GetString());
        Assert.Matches("^[0-9a-f]{64}$", lines[0].GetProperty("promptHash").GetString());
        Assert.False(lines[0].TryGetProperty("prompt", out _));
        Assert.True(lines[1].GetProperty("allowed").GetBoolean());
    }

    [Fact]
    public async Task Screening_RecordsARefusal_ButNotAnAllowance()
    {
        using var dir = new TempFolder();
        var gate = SafetyGate.Create(new SafetyOptions { AuditLogPath = dir.File("audit.jsonl"), LogPrompts = true });
        var refused = await gate.ScreenAsync("a naked man", "user-7", CancellationToken.None);
        var allowed = await gate.ScreenAsync("a quiet lake", "user-7", CancellationToken.None);

        Assert.False(refused.Allowed);
        Assert.Equal("sexual.explicit", refused.ReasonCode);
        Assert.True(allowed.Allowed);
        var lines = File.ReadAllLines(dir.File("audit.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var line = Assert.Single(lines);
        Assert.Equal("a naked man", line.GetProperty("prompt").GetString());
        Assert.False(line.GetProperty("allowed").GetBoolean());
        Assert.Equal("user-7", line.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task PromptHashes_AreStableUnderOneSaltAndDifferUnderAnother()
    {
        using var dir = new TempFolder();
        var first = SafetyGate.Create(new SafetyOptions { AuditLogPath = dir.File("a.jsonl") });
        var again = SafetyGate.Create(new SafetyOptions { AuditLogPath = dir.File("a.jsonl") });
        var other = SafetyGate.Create(new SafetyOptions { AuditLogPath = dir.File("b.jsonl") });
        await first.CheckAsync("a red fox", null, CancellationToken.None);
        await again.CheckAsync("a red fox", null, CancellationToken.None);
        await other.CheckAsync("a red fox", null, CancellationToken.None);
        var a = File.ReadAllLines(dir.File("a.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("promptHash").GetString()).ToList();
        var b = JsonDocument.Parse(File.ReadAllLines(dir.File("b.jsonl"))[0]).RootElement.GetProperty("promptHash").GetString();
        Assert.Equal(a[0], a[1]);
        Assert.NotEqual(a[0], b);
    }

    [Fact]
    public async Task LogPrompts_WritesThePromptInClear()
    {
        using var dir = new TempFolder();
        var gate = SafetyGate.Create(new SafetyOptions { AuditLogPath = dir.File("audit.jsonl"), LogPrompts = true });
        await gate.CheckAsync("a quiet lake", null, CancellationToken.None);
        Assert.Contains("\"prompt\":\"a quiet lake\"", await File.ReadAllTextAsync(dir.File("audit.jsonl")));
    }

    [Fact]
    public async Task PolicyFile_AndItsNamesList_ReloadWithoutRestart()
    {
        using var dir = new TempFolder();
        await File.WriteAllTextAsync(dir.File("policy.json"), SmallPolicy);
        await File.WriteAllTextAsync(dir.File("names.txt"), "# people\nAda Lovelace\n");
        var gate = SafetyGate.Create(new SafetyOptions { PolicyPath = dir.File("policy.json"), ReloadCheckInterval = TimeSpan.Zero });

        Assert.Equal("violence.weapon", (await gate.CheckAsync("a l4ser sw0rd duel", null, default)).ReasonCode);
        Assert.Equal("likeness.real-person", (await gate.CheckAsync("Ada Lovelace at a desk", null, default)).ReasonCode);
        Assert.True((await gate.CheckAsync("Grace Hopper at a desk", null, default)).Allowed);
        Assert.True((await gate.CheckAsync("a naked man", null, default)).Allowed);

        var before = gate.Policies.Current.Version;
        await File.WriteAllTextAsync(dir.File("names.txt"), "Ada Lovelace\nGrace Hopper\n");
        File.SetLastWriteTimeUtc(dir.File("names.txt"), DateTime.UtcNow.AddSeconds(5));
        Assert.Equal("likeness.real-person", (await gate.CheckAsync("Grace Hopper at a desk", null, default)).ReasonCode);
        Assert.NotEqual(before, gate.Policies.Current.Version);

        await File.WriteAllTextAsync(dir.File("policy.json"), SmallPolicy.Replace("\"blaster\"", "\"blaster\", \"naked\""));
        File.SetLastWriteTimeUtc(dir.File("policy.json"), DateTime.UtcNow.AddSeconds(10));
        Assert.Equal("violence.weapon", (await gate.CheckAsync("a naked man", null, default)).ReasonCode);
        Assert.Equal(2, gate.Policies.ReloadCount);
    }

    [Fact]
    public async Task BrokenPolicyEdit_KeepsTheLastGoodPolicyAndReportsWhy()
    {
        using var dir = new TempFolder();
        await File.WriteAllTextAsync(dir.File("policy.json"), SmallPolicy);
        await File.WriteAllTextAsync(dir.File("names.txt"), "Ada Lovelace\n");
        var gate = SafetyGate.Create(new SafetyOptions { PolicyPath = dir.File("policy.json"), ReloadCheckInterval = TimeSpan.Zero });
        await File.WriteAllTextAsync(dir.File("policy.json"), "{ \"rules\": [ { \"id\": ");
        File.SetLastWriteTimeUtc(dir.File("policy.json"), DateTime.UtcNow.AddSeconds(5));

        Assert.Equal("violence.weapon", (await gate.CheckAsync("a blaster", null, default)).ReasonCode);
        Assert.NotNull(gate.Policies.LastReloadError);
    }

    [Theory]
    [InlineData("{ \"rules\": [ { \"id\": \"r\", \"category\": \"c\", \"code\": \"c.x\", \"terms\": [\"@missing\"] } ] }", "unknown set")]
    [InlineData("{ \"rules\": [ { \"id\": \"r\", \"category\": \"c\", \"code\": \"c.x\" } ] }", "neither terms")]
    [InlineData("{ \"rules\": [] }", "no rules")]
    [InlineData("{ \"rulez\": [] }", "not valid")]
    [InlineData("not json", "not valid")]
    public void MalformedPolicies_AreRefusedWithTheReason(string json, string reason)
    {
        var ex = Assert.Throws<SafetyPolicyException>(() => SafetyPolicy.Parse(System.Text.Encoding.UTF8.GetBytes(json), null));
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public void MissingPolicyFile_FailsAtStart()
    {
        using var dir = new TempFolder();
        Assert.Throws<SafetyPolicyException>(() => new SafetyPolicyProvider(new SafetyOptions { PolicyPath = dir.File("nope.json") }));
    }

    [Fact]
    public void DefaultPolicy_CoversTheRequiredCategories()
    {
        var codes = SafetyPolicy.Default.ReasonCodes;
        foreach (var code in new[] { "violence.graphic", "sexual.explicit", "minors.sexual", "hate.slur", "likeness.real-person", "ip.trademark" })
        {
            Assert.Contains(code, codes);
        }
    }
}
