using System.Text;
using System.Text.Json;
using TargetProfileUpdate.Emulator;

namespace TargetProfileUpdate.Cli.Tests;

/// <summary>
/// <c>target-profile privacy delete|access|status</c> as a real process against the emulator's Privacy Service (issue 23):
/// requests of at most 1,000 users, one job line per id (named by line number, never by id), progress for files, jobs
/// followed from another process by id, and the tool's exit codes.
/// </summary>
[Trait("Category", "Slow")]
public sealed class PrivacyCommandTests : IDisposable
{
    private const string OrgId = "0123456789ABCDEF01234567@AdobeOrg";
    private const string JobsPath = "/data/core/privacy/jobs";
    private readonly TestFiles _files = new();

    [Fact]
    public async Task Delete_OfA2500IdFile_SendsRequestsOf1000_1000_500_PrintsOneJobPerLineNumber_AndNoId()
    {
        await using var emulator = await StartAsync(2500);
        string csv = _files.PathOf("erase.csv");
        File.WriteAllText(csv, "thirdPartyId\n" + string.Concat(Enumerable.Range(0, 2500).Select(i => TestFiles.Id(i) + "\n")));

        var result = await CliProcess.RunAsync(_files.Directory, Environment(emulator), [.. TestFiles.Target(emulator), "privacy", "delete", "--file", csv, "--regulation", "gdpr"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var creates = emulator.GetRequests().Where(r => r.Method == "POST" && r.Path == JobsPath).ToList();
        Assert.Equal([1000, 1000, 500], creates.Select(c => JsonDocument.Parse(c.RawBody).RootElement.GetProperty("users").GetArrayLength()));
        Assert.All(creates, c => Assert.Equal(OrgId, c.Headers["x-gw-ims-org-id"]));
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2500, lines.Length);
        Assert.Equal(Enumerable.Range(1, 2500).Select(n => "#" + n), lines.Select(l => l.Split('\t')[^1]));
        Assert.All(lines, l => Assert.Equal("delete", l.Split('\t')[1]));
        Assert.Equal(2500, lines.Select(l => l.Split('\t')[0]).Distinct().Count());
        Assert.Contains("requested 1000/2500", result.Error, StringComparison.Ordinal);
        Assert.Contains("requested 2500/2500", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("crm-", result.Out + result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bulk")]
    [InlineData("single")]
    public async Task DeleteFile_ThenImportOfTheSameIds_WithASuppressionFile_SendsNothingForThemAndReportsThemSuppressed(string via)
    {
        const int Erased = 300;
        await using var emulator = await StartAsync(Erased);
        emulator.SeedProfile(thirdPartyId: "keep-1");
        string ids = _files.PathOf("erase.csv");
        File.WriteAllText(ids, "thirdPartyId\n" + string.Concat(Enumerable.Range(0, Erased).Select(i => TestFiles.Id(i) + "\n")));
        string import = _files.PathOf("sync.csv");
        File.WriteAllText(import, "thirdPartyId,tier\n" + string.Concat(Enumerable.Range(0, Erased).Select(i => TestFiles.Id(i) + ",gold\n")) + "keep-1,gold\n");
        var environment = Environment(emulator);
        string suppressionFile = _files.PathOf("suppressed.txt");
        environment["TARGET_SUPPRESSION_FILE"] = suppressionFile;

        var deleted = await CliProcess.RunAsync(_files.Directory, environment, [.. TestFiles.Target(emulator), "privacy", "delete", "--file", ids, "--regulation", "gdpr"]);
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        long mark = emulator.GetRequests().Max(r => r.Sequence);

        var imported = await CliProcess.RunAsync(_files.Directory, environment, [.. TestFiles.Target(emulator), "import", import, "--via", via]);

        Assert.True(imported.ExitCode == 1, imported.ToString());
        var failures = TestFiles.ReadCsv(_files.PathOf("sync.failures.csv"));
        Assert.Equal(Erased, failures.Count - 1);
        Assert.All(failures.Skip(1), r => Assert.Contains("suppression list", r[^1], StringComparison.Ordinal));
        Assert.Equal("gold", emulator.FindByThirdPartyId("keep-1")!.Attributes["tier"].Value);
        var after = emulator.GetRequests().Where(r => r.Sequence > mark).ToList();
        Assert.DoesNotContain(after, r => (r.RawQuery + r.RawBody + r.Path).Contains("crm-", StringComparison.Ordinal));
        string[] lines = File.ReadAllLines(suppressionFile);
        Assert.Equal(Erased, lines.Count(l => !l.StartsWith('#') && !l.StartsWith("secret-fingerprint: ", StringComparison.Ordinal)));
        Assert.DoesNotContain(lines, l => l.Contains("crm-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delete_WithWait_ThenStatusFromAnotherProcess_ReportsTheSameCompleteJob()
    {
        await using var emulator = await StartAsync(1);

        var deleted = await CliProcess.RunAsync(_files.Directory, Environment(emulator), [.. TestFiles.Target(emulator), "privacy", "delete", "--third-party-id", TestFiles.Id(0), "--regulation", "gdpr", "--wait", "--poll-interval", "1s"]);
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        string line = Assert.Single(deleted.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        string[] fields = line.Split('\t');
        Assert.Equal(["delete", "complete", "Target: Complete"], fields[1..4]);

        var status = await CliProcess.RunAsync(_files.Directory, Environment(emulator), [.. TestFiles.Target(emulator), "privacy", "status", fields[0]]);

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal(string.Join('\t', fields[..4]), status.Out.Trim());
    }

    [Fact]
    public async Task Access_WithWait_NamesTheAttributes_AndAnUnknownIdEndsNotFoundWithExitCode0()
    {
        await using var emulator = await StartAsync(0);
        emulator.SeedProfile(new ProfileSeed { ThirdPartyId = "known-1", Attributes = { ["tier"] = "gold", ["segment"] = "a" } });

        var known = await CliProcess.RunAsync(_files.Directory, Environment(emulator), [.. TestFiles.Target(emulator), "privacy", "access", "--third-party-id", "known-1", "--regulation", "ccpa", "--wait", "--poll-interval", "1s"]);
        var unknown = await CliProcess.RunAsync(_files.Directory, Environment(emulator), [.. TestFiles.Target(emulator), "privacy", "access", "--third-party-id", "nobody-1", "--regulation", "ccpa", "--wait", "--poll-interval", "1s"]);

        Assert.True(known.ExitCode == 0, known.ToString());
        Assert.Contains("\taccess\tcomplete\tTarget: Complete (segment, tier)", known.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("gold", known.Out + known.Error, StringComparison.Ordinal);
        Assert.True(unknown.ExitCode == 0, unknown.ToString());
        Assert.Contains("\taccess\tcomplete\tTarget: NotFound", unknown.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("nobody-1", unknown.Out + unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_WhenTargetFailsTheJob_ExitsWith1()
    {
        await using var emulator = await StartAsync(1);
        emulator.InjectFaults(EmulatorFault.FailPrivacyJob());

        var result = await CliProcess.RunAsync(_files.Directory, Environment(emulator), [.. TestFiles.Target(emulator), "privacy", "delete", "--third-party-id", TestFiles.Id(0), "--regulation", "gdpr", "--wait", "--poll-interval", "1s"]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("\tdelete\terror\tTarget: Error", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_OfAnUnknownJob_ExitsWith3()
    {
        await using var emulator = await StartAsync(0);

        var result = await CliProcess.RunAsync(_files.Directory, Environment(emulator), [.. TestFiles.Target(emulator), "privacy", "status", "no-such-job"]);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("unknown to Privacy Service", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_WithoutTheOrgId_WithTwoIds_OrAPollUnderOneSecond_ExitsWith2AndSendsNothing()
    {
        await using var emulator = await StartAsync(1);
        var environment = Environment(emulator);
        environment.Remove("TARGET_IMS_ORG_ID");

        var noOrg = await CliProcess.RunAsync(_files.Directory, environment, [.. TestFiles.Target(emulator), "privacy", "delete", "--third-party-id", TestFiles.Id(0), "--regulation", "gdpr"]);
        var twoIds = await CliProcess.RunAsync(_files.Directory, Environment(emulator), [.. TestFiles.Target(emulator), "privacy", "delete", "--third-party-id", TestFiles.Id(0), "--pc-id", "pc-0", "--regulation", "gdpr"]);
        var fastPoll = await CliProcess.RunAsync(_files.Directory, Environment(emulator), [.. TestFiles.Target(emulator), "privacy", "delete", "--third-party-id", TestFiles.Id(0), "--regulation", "gdpr", "--wait", "--poll-interval", "500ms"]);

        Assert.True(noOrg.ExitCode == 2, noOrg.ToString());
        Assert.Contains("ImsOrgId", noOrg.Error, StringComparison.Ordinal);
        Assert.True(twoIds.ExitCode == 2, twoIds.ToString());
        Assert.True(fastPoll.ExitCode == 2, fastPoll.ToString());
        Assert.Contains("--poll-interval", fastPoll.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(emulator.GetRequests(), r => r.Path.StartsWith(JobsPath, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("bulk")]
    [InlineData("single")]
    public async Task SuppressionFile_WrittenWithAnotherHashSecret_ExitsWith2_InsteadOfSendingTheErasedIds(string via)
    {
        // Before the fix the file did not record which secret wrote it: a run with another TARGET_PRIVACY_HASH_SECRET
        // hashed the ids differently, found none of them, and sent every erased id's row (exit code 0).
        const int Erased = 3;
        await using var emulator = await StartAsync(Erased);
        string ids = _files.PathOf("erase.csv");
        File.WriteAllText(ids, "thirdPartyId\n" + string.Concat(Enumerable.Range(0, Erased).Select(i => TestFiles.Id(i) + "\n")));
        string import = _files.PathOf("sync.csv");
        File.WriteAllText(import, "thirdPartyId,tier\n" + string.Concat(Enumerable.Range(0, Erased).Select(i => TestFiles.Id(i) + ",gold\n")));
        var environment = Environment(emulator);
        environment["TARGET_SUPPRESSION_FILE"] = _files.PathOf("suppressed.txt");
        var deleted = await CliProcess.RunAsync(_files.Directory, environment, [.. TestFiles.Target(emulator), "privacy", "delete", "--file", ids, "--regulation", "gdpr"]);
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        long mark = emulator.GetRequests().Max(r => r.Sequence);
        const string OtherSecret = "another-hash-secret-0123456789abcdef0123";
        environment["TARGET_PRIVACY_HASH_SECRET"] = OtherSecret;

        var imported = await CliProcess.RunAsync(_files.Directory, environment, [.. TestFiles.Target(emulator), "import", import, "--via", via]);

        Assert.True(imported.ExitCode == 2, imported.ToString());
        Assert.DoesNotContain(emulator.GetRequests(), r => r.Sequence > mark);
        Assert.Contains("TARGET_PRIVACY_HASH_SECRET", imported.Error, StringComparison.Ordinal);
        string output = imported.Out + imported.Error;
        Assert.DoesNotContain(OtherSecret, output, StringComparison.Ordinal);
        Assert.DoesNotContain(Environment(emulator)["TARGET_PRIVACY_HASH_SECRET"], output, StringComparison.Ordinal);
        Assert.DoesNotContain("crm-", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SuppressionFile_WithHashesButNoFingerprint_ExitsWith2_NotReadUnchecked()
    {
        // A file written before fingerprints were recorded cannot be shown to match the secret: refused, with the line to add.
        await using var emulator = await StartAsync(1);
        var environment = Environment(emulator);
        string suppressionFile = _files.PathOf("suppressed.txt");
        File.WriteAllText(suppressionFile, "# target-profile suppression list\n" + new ProfileIdHasher(environment["TARGET_PRIVACY_HASH_SECRET"]).Hash(ProfileId.FromThirdPartyId(TestFiles.Id(0))) + "\n");
        environment["TARGET_SUPPRESSION_FILE"] = suppressionFile;
        string import = _files.PathOf("sync.csv");
        File.WriteAllText(import, "thirdPartyId,tier\n" + TestFiles.Id(0) + ",gold\n");

        var imported = await CliProcess.RunAsync(_files.Directory, environment, [.. TestFiles.Target(emulator), "import", import, "--via", "single"]);

        Assert.True(imported.ExitCode == 2, imported.ToString());
        Assert.DoesNotContain(emulator.GetRequests(), r => r.Path.Contains("/profile/", StringComparison.Ordinal));
        Assert.Contains("secret-fingerprint: " + new ProfileIdHasher(environment["TARGET_PRIVACY_HASH_SECRET"]).SecretFingerprint, imported.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(environment["TARGET_PRIVACY_HASH_SECRET"], imported.Out + imported.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SuppressionFile_WithoutAHashSecret_ExitsWith2AndSendsNothing()
    {
        await using var emulator = await StartAsync(1);
        var environment = Environment(emulator);
        environment.Remove("TARGET_PRIVACY_HASH_SECRET");
        environment["TARGET_SUPPRESSION_FILE"] = _files.PathOf("suppressed.txt");

        var result = await CliProcess.RunAsync(_files.Directory, environment, [.. TestFiles.Target(emulator), "privacy", "delete", "--third-party-id", TestFiles.Id(0), "--regulation", "gdpr"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("TARGET_PRIVACY_HASH_SECRET", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(emulator.GetRequests(), r => r.Path.StartsWith(JobsPath, StringComparison.Ordinal));
        Assert.False(File.Exists(_files.PathOf("suppressed.txt")));
    }

    public void Dispose() => _files.Dispose();

    private static Task<TargetEmulator> StartAsync(int profiles) => TestFiles.StartEmulatorAsync(profiles, o =>
    {
        o.ImsClientId = "cli-client";
        o.ImsClientSecret = "cli-secret";
        o.ImsOrgId = OrgId;
        o.PrivacyProcessingDelay = TimeSpan.Zero;
    });

    private static Dictionary<string, string> Environment(TargetEmulator emulator) => new()
    {
        ["TARGET_IMS_CLIENT_ID"] = "cli-client",
        ["TARGET_IMS_CLIENT_SECRET"] = "cli-secret",
        ["TARGET_IMS_SCOPES"] = "openid,AdobeID",
        ["TARGET_TENANT"] = emulator.ClientCode,
        ["TARGET_IMS_TOKEN_ENDPOINT"] = new Uri(emulator.BaseAddress, "ims/token/v3").ToString(),
        ["TARGET_ADMIN_API_BASE_ADDRESS"] = emulator.BaseAddress.ToString(),
        ["TARGET_IMS_ORG_ID"] = OrgId,
        ["TARGET_PRIVACY_BASE_ADDRESS"] = emulator.BaseAddress.ToString(),
        ["TARGET_PRIVACY_HASH_SECRET"] = "cli-hash-secret-0123456789abcdef0123",
    };
}
