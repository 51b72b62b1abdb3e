namespace TargetProfileUpdate.Emulator.Tests;

/// <summary>The reusable command-line parsing shared by the standalone emulator and hosting tools.</summary>
public sealed class TargetEmulatorCommandLineTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    [Fact]
    public void Parse_AuthenticationAndBulkOptions_SetsEveryOne()
    {
        var options = TargetEmulatorCommandLine.Parse(
        [
            "--urls", "http://127.0.0.1:5080;http://[::1]:5080", "--client-code", "acme",
            "--ims-client-id", "cid", "--ims-client-secret", "secret", "--tenant", "acme-tenant", "--token-lifetime", "5s",
            "--bulk-max-rows", "1000", "--bulk-max-bytes=2000000", "--bulk-calls-per-minute", "7", "--batch-processing-delay", "1500ms",
            "--max-batches", "3", "--legacy-batch-status", "--legacy-fetch-shape", "false", "--no-profile-token",
        ], NoEnvironment);

        Assert.Equal("http://127.0.0.1:5080", options.Url);
        Assert.Equal("acme", options.ClientCode);
        Assert.Equal(("cid", "secret", "acme-tenant"), (options.ImsClientId, options.ImsClientSecret, options.Tenant));
        Assert.Equal(TimeSpan.FromSeconds(5), options.ImsTokenLifetime);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ProfileTokenLifetime);
        Assert.Equal((1000, 2_000_000L, 7), (options.BulkMaxRows, options.BulkMaxBytes, options.BulkCallsPerMinute));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.BatchProcessingDelay);
        Assert.Equal(3, options.MaxRetainedBatches);
        Assert.True(options.LegacyBatchStatus);
        Assert.False(options.LegacyFetchShape);
        Assert.False(options.ProfileTokenExists);
    }

    [Fact]
    public void Parse_ExistingOptions_StillWork()
    {
        var options = TargetEmulatorCommandLine.Parse(
            ["--token", "t", "--max-get-bytes", "2000", "--max-post-bytes", "3000", "--quota", "5", "--quota-window", "00:01:00", "--propagation-delay", "2m", "--fault-probability", "0.5", "--fault-seed", "7"],
            NoEnvironment);

        Assert.Equal(("t", 2000, 3000, 5), (options.AuthorizationToken, options.MaxGetRequestBytes, options.MaxPostRequestBytes, options.QuotaLimit));
        Assert.Equal((TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2)), (options.QuotaWindow, options.PropagationDelay));
        Assert.Equal((0.5, 7), (options.RandomFaults!.Probability, options.RandomFaults.Seed));
    }

    [Fact]
    public void Parse_EnvironmentVariables_AreReadAndTheCommandLineWins()
    {
        var environment = new Dictionary<string, string>
        {
            ["TARGET_EMULATOR_CLIENTCODE"] = "from-env",
            ["TARGET_EMULATOR_IMSCLIENTSECRET"] = "env-secret",
            ["TARGET_EMULATOR_BULKMAXROWS"] = "9",
            ["UNRELATED"] = "x",
        };

        var options = TargetEmulatorCommandLine.Parse(["--bulk-max-rows", "10"], environment);

        Assert.Equal(("from-env", "env-secret", 10), (options.ClientCode, options.ImsClientSecret, options.BulkMaxRows));
    }

    [Theory]
    [InlineData(new[] { "--bulk-rows", "5" }, "Unknown option '--bulk-rows'")]
    [InlineData(new[] { "--token-lifetime", "5" }, "--token-lifetime: '5' is not valid")]
    [InlineData(new[] { "--bulk-max-rows", "many" }, "--bulk-max-rows: 'many' is not valid")]
    [InlineData(new[] { "--tenant" }, "Option --tenant needs a value")]
    public void Parse_BadArguments_ThrowNamingTheOption(string[] args, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => TargetEmulatorCommandLine.Parse(args, NoEnvironment));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("30s", 30_000)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("00:00:05", 5_000)]
    public void ParseDuration_AcceptsUnitsAndClockFormat(string text, long milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), TargetEmulatorCommandLine.ParseDuration(text));

    [Fact]
    public void WriteUsage_ListsTheAuthenticationAndBulkOptions()
    {
        using var writer = new StringWriter();

        TargetEmulatorCommandLine.WriteUsage(writer);

        string usage = writer.ToString();
        foreach (string option in new[] { "--ims-client-id", "--ims-client-secret", "--tenant", "--token-lifetime", "--bulk-max-rows", "--bulk-max-bytes", "--bulk-calls-per-minute", "--batch-processing-delay", "--urls", "--client-code" })
        {
            Assert.Contains(option, usage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void IsHelpRequested_RecognisesTheUsualSpellings()
    {
        Assert.True(TargetEmulatorCommandLine.IsHelpRequested(["--urls", "x", "--help"]));
        Assert.True(TargetEmulatorCommandLine.IsHelpRequested(["-h"]));
        Assert.False(TargetEmulatorCommandLine.IsHelpRequested(["--urls", "x"]));
    }

    [Fact]
    public async Task Parse_ThenStart_RunsAnEmulatorWithThoseOptions()
    {
        var options = TargetEmulatorCommandLine.Parse(["--client-code", "cli", "--bulk-max-rows", "1"], NoEnvironment);

        await using var emulator = await TargetEmulator.StartAsync(options);
        using var http = new HttpClient { BaseAddress = emulator.BaseAddress };
        using var response = await http.PostAsync("m2/cli/v2/profile/batchUpdate", TestSupport.Wire.Form("batch=thirdPartyId,a\nr1,1\nr2,2"));

        Assert.Equal("<response><success>false</success><message>The batch has more than 1 rows</message></response>", await response.Content.ReadAsStringAsync());
    }
}
