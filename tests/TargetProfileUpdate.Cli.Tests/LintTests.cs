using System.Text;
using TargetProfileUpdate.Cli.Import;

namespace TargetProfileUpdate.Cli.Tests;

/// <summary><c>target-profile lint</c> and the check <c>import</c> runs first: one instance of every problem, each reported once, at its line.</summary>
public sealed class LintTests : IDisposable
{
    private static readonly string LongName = new('n', 129);

    /// <summary>The problems of <see cref="WriteEveryProblem"/>, in order: (line, column, start of the text).</summary>
    private static readonly (long Line, int? Column, string Text)[] Expected =
    [
        (1, 3, "TPU003 error: The profile attribute name 'sessionCount' is reserved"),
        (1, 5, "TPU004 error: The profile attribute names 'Tier' and 'tier' differ only by case"),
        (1, 6, "TPU002 error: The profile attribute name 'profile.x' starts with 'profile.'"),
        (1, 7, "TPU005 warning: The profile attribute name '" + LongName + "' is 129 characters long"),
        (3, 2, "TPU101 warning: The value of profile attribute 'loyaltyTier' is empty"),
        (4, 1, "TPU102 error: The mbox3rdPartyId is 300 characters long"),
        (5, null, "TPU103 error: The attributes of one update take 70,"),
        (6, 5, "error: the row has 4 fields; the header has 8."),
    ];

    private readonly TestFiles _files = new();

    public void Dispose() => System.IO.Directory.Delete(_files.Directory, recursive: true);

    /// <summary>A file with one instance of every problem a CSV can have (an empty column name is a header error, see below).</summary>
    private string WriteEveryProblem()
    {
        string path = _files.PathOf("every-problem.csv");
        var text = new StringBuilder();
        text.Append("thirdPartyId,loyaltyTier,sessionCount,Tier,tier,profile.profile.x,").Append(LongName).Append(",note\n");
        text.Append("crm-1,gold,1,a,b,x,y,fine\n");                                     // line 2: clean
        text.Append("crm-2,,1,a,b,x,y,fine\n");                                         // line 3: empty value
        text.Append(new string('i', 300)).Append(",gold,1,a,b,x,y,fine\n");             // line 4: id over 256
        text.Append("crm-4,").Append(new string('v', 70_000)).Append(",1,a,b,x,y,fine\n"); // line 5: over 64 KB
        text.Append("crm-5,gold,1,a\n");                                                // line 6: wrong field count
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(false));
        return path;
    }

    [Fact]
    public void CsvLinter_FileWithEveryProblem_ReportsExactlyThoseAtTheirLines()
    {
        var problems = CsvLinter.Lint(WriteEveryProblem(), null);

        Assert.Equal(Expected.Length, problems.Count);
        for (int i = 0; i < Expected.Length; i++)
        {
            Assert.Equal(Expected[i].Line, problems[i].Line);
            Assert.Equal(Expected[i].Column, problems[i].Column);
            Assert.StartsWith(Expected[i].Text, problems[i].Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void CsvLinter_CleanFile_ReportsNothing()
    {
        Assert.Empty(CsvLinter.Lint(_files.WriteRows("clean.csv", 5), null));
    }

    [Fact]
    public void CsvLinter_WithCatalog_FlagsUnknownColumnsOnceWithTheClosestName()
    {
        string path = _files.PathOf("catalog.csv");
        File.WriteAllText(path, "thirdPartyId,loyaltytier,tier\ncrm-1,gold,a\ncrm-2,silver,b\n");

        var problem = Assert.Single(CsvLinter.Lint(path, ["loyaltyTier", "tier"]));

        Assert.Equal((1L, (int?)2), (problem.Line, problem.Column));
        Assert.EndsWith("did you mean `loyaltyTier`?", problem.Text, StringComparison.Ordinal);
        Assert.False(problem.IsError);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Lint_FileWithEveryProblem_PrintsEachOnceAndExits1()
    {
        var result = await CliProcess.RunAsync(_files.Directory, ["lint", WriteEveryProblem()]);

        Assert.True(result.ExitCode == 1, result.ToString());
        string[] lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(Expected.Length + 1, lines.Length);
        for (int i = 0; i < Expected.Length; i++)
        {
            string where = Expected[i].Column is { } c ? $"line {Expected[i].Line}, column {c}: " : $"line {Expected[i].Line}: ";
            Assert.StartsWith(where + Expected[i].Text, lines[i], StringComparison.Ordinal);
        }

        Assert.Equal("6 error(s), 2 warning(s) in every-problem.csv.", lines[^1]);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Lint_OnlyWarnings_Exits0()
    {
        string path = _files.PathOf("warnings.csv");
        File.WriteAllText(path, "thirdPartyId,tier,note\ncrm-1,,x\n");

        var result = await CliProcess.RunAsync(_files.Directory, ["lint", path]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("line 2, column 2: TPU101 warning", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Import_FileBreakingARule_SendsNothingAndExits2_UnlessNoLint()
    {
        await using var emulator = await TestFiles.StartEmulatorAsync(2);
        string path = _files.PathOf("reserved.csv");
        File.WriteAllText(path, "thirdPartyId,tier,sessionCount\ncrm-0,gold,3\ncrm-1,silver,4\n");

        var refused = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "import", path]);

        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("line 1, column 3: TPU003 error", refused.Error, StringComparison.Ordinal);
        Assert.Contains("--no-lint", refused.Error, StringComparison.Ordinal);
        Assert.Empty(emulator.GetRequests());

        var sent = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "import", path, "--no-lint", "--via", "single", "--skip-existence-check"]);

        Assert.True(sent.ExitCode == 0, sent.ToString());
        Assert.Equal(2, emulator.GetRequests().Count);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Import_FileWithOnlyWarnings_PrintsThemAndSends()
    {
        await using var emulator = await TestFiles.StartEmulatorAsync(2);
        string path = _files.PathOf("sparse.csv");
        File.WriteAllText(path, "thirdPartyId,tier,note\ncrm-0,gold,\ncrm-1,silver,x\n");

        var result = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "import", path, "--via", "single", "--skip-existence-check"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("warning: line 2, column 3: TPU101 warning", result.Error, StringComparison.Ordinal);
        Assert.Equal(2, emulator.GetRequests().Count);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task LintCatalog_OnTheEmbeddedEmulator_FlagsAnUnknownColumnWithTheTenantsName()
    {
        // The embedded emulator's demo profiles hold loyaltyTier and favoriteColor.
        string path = _files.PathOf("typo.csv");
        File.WriteAllText(path, "thirdPartyId,loyaltytier,favoriteColor\ndemo-1,gold,blue\n");

        var result = await CliProcess.RunAsync(_files.Directory, ["lint", path, "--catalog", "--emulator"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        string[] lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("line 1, column 2: TPU104 warning", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("did you mean `loyaltyTier`?", lines[0], StringComparison.Ordinal);
        Assert.Equal("0 error(s), 1 warning(s) in typo.csv.", lines[1]);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task LintCatalog_WithTheEnvironmentsImsCredential_ReadsTheTenantsAttributesFromTheAdminApi()
    {
        await using var emulator = await TestFiles.StartEmulatorAsync(0, o =>
        {
            o.ImsClientId = "cli-client";
            o.ImsClientSecret = "cli-SECRET";
            o.Tenant = "clitenant";
        });
        emulator.SeedProfile(thirdPartyId: "crm-0", attributes: new Dictionary<string, string> { ["loyaltyTier"] = "gold", ["country"] = "FR" });
        string path = _files.PathOf("typo.csv");
        File.WriteAllText(path, "thirdPartyId,loyaltyTeir,country,brandNew\ncrm-0,gold,FR,x\n");
        var environment = new Dictionary<string, string>
        {
            ["TARGET_IMS_CLIENT_ID"] = "cli-client",
            ["TARGET_IMS_CLIENT_SECRET"] = "cli-SECRET",
            ["TARGET_IMS_SCOPES"] = "openid,AdobeID,target_sdk",
            ["TARGET_TENANT"] = "clitenant",
            ["TARGET_IMS_TOKEN_ENDPOINT"] = new Uri(emulator.BaseAddress, "ims/token/v3").ToString(),
            ["TARGET_ADMIN_API_BASE_ADDRESS"] = emulator.BaseAddress.ToString(),
        };

        var result = await CliProcess.RunAsync(_files.Directory, environment, [.. TestFiles.Target(emulator), "lint", path, "--catalog"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("line 1, column 2: TPU104 warning", result.Out, StringComparison.Ordinal);
        Assert.Contains("did you mean `loyaltyTier`?", result.Out, StringComparison.Ordinal);
        Assert.Contains("line 1, column 4: TPU104 warning", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("column 3:", result.Out, StringComparison.Ordinal);
        Assert.Single(emulator.GetRequests(), r => r.Path == "/clitenant/target/profileattributes/mbox");
        Assert.DoesNotContain("cli-SECRET", result.Out + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task LintCatalog_WithoutImsCredentials_Exits2NamingTheVariables()
    {
        await using var emulator = await TestFiles.StartEmulatorAsync(0);
        string path = _files.PathOf("plain.csv");
        File.WriteAllText(path, "thirdPartyId,tier\ncrm-0,gold\n");

        var result = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "lint", path, "--catalog"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("TARGET_IMS_CLIENT_ID", result.Error, StringComparison.Ordinal);
        Assert.Empty(emulator.GetRequests());
    }
}
