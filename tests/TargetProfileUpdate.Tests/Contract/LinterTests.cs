using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using TargetProfileUpdate.Tests.Bulk;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Contract;

/// <summary>
/// Every run-time rule, through the real update client, in each mode: Strict refuses before anything is sent, Warn sends
/// and logs one line per attribute name (names only: never the value or the id), Off sends and says nothing.
/// </summary>
public sealed class LinterTests
{
    private const string Id = PersonalData.Id;
    private const string Value = PersonalData.Value;

    /// <summary>Each rule's minimal breaking update, and the attribute name its log line names (null: a rule about the whole update).</summary>
    public static TheoryData<string, string?> Rules => new()
    {
        { "TPU002", "profile.tier" },
        { "TPU003", "sessionCount" },
        { "TPU004", "Tier" },
        { "TPU005", new string('n', 129) },
        { "TPU009", "tier " },
        { "TPU101", "tier" },
        { "TPU102", null },
        { "TPU103", null },
    };

    public static TheoryData<string, string?, ProfileLintMode> RulesAndModes()
    {
        var data = new TheoryData<string, string?, ProfileLintMode>();
        foreach (var row in Rules)
        {
            foreach (var mode in new[] { ProfileLintMode.Strict, ProfileLintMode.Warn, ProfileLintMode.Off })
            {
                data.Add((string)row[0], (string?)row[1], mode);
            }
        }

        return data;
    }

    private static ProfileUpdate Breaking(string ruleId) => ruleId switch
    {
        "TPU002" => ProfileUpdate.ForThirdPartyId(Id).Set("profile.profile.tier", Value),
        "TPU003" => ProfileUpdate.ForThirdPartyId(Id).Set("sessionCount", Value),
        "TPU004" => ProfileUpdate.ForThirdPartyId(Id).Set("tier", Value).Set("Tier", Value),
        "TPU005" => ProfileUpdate.ForThirdPartyId(Id).Set(new string('n', 129), Value),
        "TPU009" => ProfileUpdate.ForThirdPartyId(Id).Set("tier ", Value),
        "TPU101" => ProfileUpdate.ForThirdPartyId(Id).Set("tier", string.Empty).Set("segment", Value),
        "TPU102" => ProfileUpdate.ForThirdPartyId(Id + new string('7', 257)).Set("segment", Value),
        "TPU103" => ProfileUpdate.ForThirdPartyId(Id).Set("a", Value + new string('x', 40_000)).Set("b", Value + new string('y', 30_000)),
        _ => throw new ArgumentOutOfRangeException(nameof(ruleId)),
    };

    [Theory]
    [MemberData(nameof(RulesAndModes))]
    public async Task UpdateAsync_UpdateBreakingRule_FollowsTheMode(string ruleId, string? name, ProfileLintMode mode)
    {
        var logs = FakeLogs.Provider();
        var (client, handler, services) = TestClients.Create(
            o =>
            {
                o.Linting = mode;
                o.MaxPostRequestBytes = 200_000; // so the 64 KB rule is what is tested, not the POST limit
            },
            loggerProvider: logs);
        using (services)
        {
            if (mode == ProfileLintMode.Strict)
            {
                var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.UpdateAsync(Breaking(ruleId)));
                Assert.Contains(ruleId, ex.Message, StringComparison.Ordinal);
                Assert.Equal("update", ex.ParamName);
                Assert.Empty(handler.Requests);
                PersonalData.AssertAbsentFrom([ex.ToString()]);
                return;
            }

            await client.UpdateAsync(Breaking(ruleId));
            await client.UpdateAsync(Breaking(ruleId));

            Assert.Equal(2, handler.Requests.Count);
            var lint = logs.Collector.GetSnapshot().Where(r => r.Id.Name == "ProfileAttributeRuleBroken").ToList();
            if (mode == ProfileLintMode.Off)
            {
                Assert.Empty(lint);
                return;
            }

            // One line for the rule and name, however many updates break it.
            var line = Assert.Single(lint, r => r.Message.StartsWith(ruleId + ":", StringComparison.Ordinal));
            Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, line.Level);
            if (name is not null)
            {
                Assert.Contains("'" + name + "'", line.Message, StringComparison.Ordinal);
            }

            PersonalData.AssertAbsentFrom(logs.Collector.Texts());
        }
    }

    /// <summary>A name with a control character or surrounding white space ("tier\r\n", " tier") went out as a separate attribute
    /// with no word from any mode. TPU009 now reports it, and the Warn line shows the control characters escaped, so the
    /// name cannot split the log line.</summary>
    [Theory]
    [InlineData("tier\r\nX-Forged: line", "tier\\u000D\\u000AX-Forged: line")]
    [InlineData(" tier", " tier")]
    [InlineData("ti\ter", "ti\\u0009er")]
    public async Task UpdateAsync_NameWithControlCharacterOrSurroundingWhiteSpace_IsTPU009_ShownEscaped(string name, string shown)
    {
        var logs = FakeLogs.Provider();
        var (client, handler, services) = TestClients.Create(o => o.Linting = ProfileLintMode.Warn, loggerProvider: logs);
        using (services)
        {
            await client.UpdateAsync(ProfileUpdate.ForThirdPartyId(Id).Set(name, Value));

            Assert.Single(handler.Requests);
            var line = Assert.Single(logs.Collector.GetSnapshot(), r => r.Id.Name == "ProfileAttributeRuleBroken");
            Assert.StartsWith("TPU009:", line.Message, StringComparison.Ordinal);
            Assert.Contains("'" + shown + "'", line.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', line.Message);
            Assert.DoesNotContain('\r', line.Message);
        }

        var strict = new ProfileAttributeLinter(ProfileLintMode.Strict);
        var finding = Assert.Single(strict.Lint(ProfileUpdate.ForThirdPartyId(Id).Set(name, Value)));
        Assert.Equal("TPU009", finding.RuleId);
        Assert.Equal(name, finding.AttributeName);
    }

    [Fact]
    public async Task UpdateAsync_WarnMode_LogsOneLinePerAttributeNameNotPerUpdate()
    {
        var logs = FakeLogs.Provider();
        var (client, _, services) = TestClients.Create(loggerProvider: logs);
        using (services)
        {
            for (int i = 0; i < 20; i++)
            {
                await client.UpdateAsync(ProfileUpdate.ForThirdPartyId(Id + i).Set("sessionCount", Value + i).Set("browserTime", Value));
            }

            var lint = logs.Collector.GetSnapshot().Where(r => r.Id.Name == "ProfileAttributeRuleBroken").Select(r => r.Message).ToList();
            Assert.Equal(2, lint.Count);
            Assert.Contains(lint, m => m.Contains("'sessionCount'", StringComparison.Ordinal));
            Assert.Contains(lint, m => m.Contains("'browserTime'", StringComparison.Ordinal));
            PersonalData.AssertAbsentFrom(logs.Collector.Texts());
        }
    }

    [Fact]
    public async Task UpdateAsync_CleanUpdate_LogsNothingInWarnMode()
    {
        var logs = FakeLogs.Provider();
        var (client, handler, services) = TestClients.Create(loggerProvider: logs);
        using (services)
        {
            await client.UpdateAsync(ProfileUpdate.ForThirdPartyId(Id).Set("loyaltyTier", Value).Set("profile.favoriteColor", "blue"));

            Assert.Single(handler.Requests);
            Assert.DoesNotContain(logs.Collector.GetSnapshot(), r => r.Id.Name == "ProfileAttributeRuleBroken");
        }
    }

    [Fact]
    public void TPU001_EmptyName_IsRefusedBySetInEveryMode_AndReportedByLintNames()
    {
        // Set itself refuses an empty name whatever the mode (it can never reach the wire); CSV headers go through LintNames.
        Assert.Throws<ArgumentException>(() => ProfileUpdate.ForThirdPartyId(Id).Set(" ", Value));
        var finding = Assert.Single(new ProfileAttributeLinter(ProfileLintMode.Off).LintNames(["tier", "  "]));
        Assert.Equal("TPU001", finding.RuleId);
        Assert.Equal(ProfileLintSeverity.Error, finding.Severity);
    }

    [Theory]
    [InlineData(ProfileLintMode.Strict)]
    [InlineData(ProfileLintMode.Warn)]
    [InlineData(ProfileLintMode.Off)]
    public void TPU104_NameNotInCatalog_FollowsTheModeAndSuggestsTheClosestName(ProfileLintMode mode)
    {
        var logs = new FakeLogger();
        var linter = new ProfileAttributeLinter(mode, logs, ["loyaltyTier", "favoriteColor", "lifetimeValue"]);
        var update = ProfileUpdate.ForThirdPartyId(Id).Set("loyaltytier", Value);

        var finding = Assert.Single(linter.Lint(update));
        Assert.Equal("TPU104", finding.RuleId);
        Assert.Equal(ProfileLintSeverity.Warning, finding.Severity);
        Assert.EndsWith("did you mean `loyaltyTier`?", finding.Message, StringComparison.Ordinal);

        if (mode == ProfileLintMode.Strict)
        {
            Assert.Contains("did you mean `loyaltyTier`?", Assert.Throws<ArgumentException>(() => linter.Enforce(update)).Message, StringComparison.Ordinal);
            return;
        }

        linter.Enforce(update);
        linter.Enforce(update);
        if (mode == ProfileLintMode.Off)
        {
            Assert.Equal(0, logs.Collector.Count);
            return;
        }

        Assert.Contains("did you mean `loyaltyTier`?", Assert.Single(logs.Collector.GetSnapshot()).Message, StringComparison.Ordinal);
        PersonalData.AssertAbsentFrom(logs.Collector.GetSnapshot().Select(r => r.Message));
    }

    [Theory]
    [InlineData("loyaltyTeir", "loyaltyTier")]
    [InlineData("LoyaltyTier", "loyaltyTier")]
    [InlineData("favouriteColor", "favoriteColor")]
    [InlineData("totallyDifferent", null)]
    [InlineData("x", null)]
    public void LintNames_UnknownName_SuggestsOnlyALikelyTypo(string name, string? suggestion)
    {
        var finding = Assert.Single(new ProfileAttributeLinter(ProfileLintMode.Warn, null, ["loyaltyTier", "favoriteColor", "lifetimeValue"]).LintNames([name]));

        Assert.Equal("TPU104", finding.RuleId);
        if (suggestion is null)
        {
            Assert.DoesNotContain("did you mean", finding.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.EndsWith("did you mean `" + suggestion + "`?", finding.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void LintNames_CsvHeader_ReportsEachColumnOnceAndAcceptsOneProfilePrefix()
    {
        var findings = new ProfileAttributeLinter().LintNames(["profile.tier", "sessionCount", "Tier", "user.x", "ok"]);

        Assert.Equal(["TPU003", "TPU004", "TPU003"], findings.Select(f => f.RuleId));
        Assert.Equal(["sessionCount", "Tier", "user.x"], findings.Select(f => f.AttributeName));
    }

    [Fact]
    public void Enforce_ManyDistinctProblems_LogsAtMostTheCapPlusOneNotice()
    {
        var logs = new FakeLogger();
        var linter = new ProfileAttributeLinter(ProfileLintMode.Warn, logs);
        for (int i = 0; i < ProfileAttributeLinter.MaxLoggedProblems + 50; i++)
        {
            linter.Enforce(ProfileUpdate.ForPcId("pc").Set("user.a" + i, "v"));
        }

        Assert.Equal(ProfileAttributeLinter.MaxLoggedProblems + 1, logs.Collector.Count);
        Assert.Equal("ProfileAttributeLintLogFull", logs.LatestRecord.Id.Name);
    }

    [Theory]
    [InlineData(ProfileLintMode.Strict)]
    [InlineData(ProfileLintMode.Warn)]
    [InlineData(ProfileLintMode.Off)]
    public async Task BulkUpload_RowBreakingRule_StrictRejectsTheRowOthersSendIt(ProfileLintMode mode)
    {
        var logs = FakeLogs.Provider();
        var handler = new RecordingHandler().Always(() => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("<response><success>true</success><batchStatus>https://mboxedge45.tt.omtrdc.net/m2/demo/v2/profile/batchStatus?batchId=demo-1</batchStatus></response>", System.Text.Encoding.UTF8, "application/xml"),
        });
        var (_, _, services) = TestClients.Create(o => o.Linting = mode, handler, loggerProvider: logs);
        using (services)
        {
            var client = services.GetRequiredService<IBulkProfileUpdateClient>();
            ProfileUpdate[] rows =
            [
                ProfileUpdate.ForThirdPartyId(Id).Set("loyaltyTier", Value),
                ProfileUpdate.ForThirdPartyId(Id + "2").Set("sessionCount", Value),
            ];

            var result = await client.UploadAsync(BulkTestSupport.ToAsync(rows));

            string body = System.Text.Encoding.UTF8.GetString(Assert.Single(handler.Requests).Body);
            if (mode == ProfileLintMode.Strict)
            {
                var rejection = Assert.Single(result.Rejections);
                Assert.Equal(1, rejection.Index);
                Assert.Contains("TPU003", rejection.Reason, StringComparison.Ordinal);
                Assert.DoesNotContain("sessionCount", body, StringComparison.Ordinal);
                PersonalData.AssertAbsentFrom([rejection.Reason]);
            }
            else
            {
                Assert.Empty(result.Rejections);
                Assert.Contains("sessionCount", body, StringComparison.Ordinal);
            }

            int lines = logs.Collector.GetSnapshot().Count(r => r.Id.Name == "ProfileAttributeRuleBroken");
            Assert.Equal(mode == ProfileLintMode.Warn ? 1 : 0, lines);
            PersonalData.AssertAbsentFrom(logs.Collector.Texts());
        }
    }
}
