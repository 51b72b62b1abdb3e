using System.Text;
using System.Text.RegularExpressions;
using TargetProfileUpdate.Emulator;

namespace TargetProfileUpdate.Cli.Tests;

/// <summary>
/// Issue 19, the CLI's findings: each test is named after what broke and runs the tool as a real process against the emulator.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ReliabilityRegressionTests : IDisposable
{
    private readonly TestFiles _files = new();

    /// <summary>Item 2: the failures file turned Latin-1 bytes into U+FFFD, and re-importing it sent "M�ller" and "crm-�2".</summary>
    [Fact]
    public async Task Import_Latin1File_FailuresFileKeepsTheOriginalBytes_AndReimportNeverSendsAReplacementCharacter()
    {
        await using var emulator = await TestFiles.StartEmulatorAsync(3);
        string csv = _files.PathOf("latin1.csv");
        byte[] latin1 = [.. "thirdPartyId,name\ncrm-1,M"u8, 0xFC, .. "ller\ncrm-"u8, 0xE9, .. "2,ok\ncrm-0,fine\n"u8];
        File.WriteAllBytes(csv, latin1);

        var first = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "import", csv, "--skip-invalid", "--via", "single"]);

        Assert.True(first.ExitCode == 1, first.ToString());
        string failures = _files.PathOf("latin1.failures.csv");
        byte[] written = File.ReadAllBytes(failures);
        Assert.True(IndexOf(written, [.. "crm-1,M"u8, 0xFC, .. "ller,"u8]) >= 0, "the row's original bytes are not in the failures file");
        Assert.True(IndexOf(written, [.. "crm-"u8, 0xE9, .. "2,ok,"u8]) >= 0, "the row's original bytes are not in the failures file");
        Assert.Equal(-1, IndexOf(written, [.. "\uFFFD"u8]));
        int sentBefore = emulator.GetRequests().Count;

        var again = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "import", failures, "--via", "single"]);
        var skipping = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "import", failures, "--via", "single", "--skip-invalid"]);

        Assert.True(again.ExitCode == 2, again.ToString());
        Assert.Contains("invalid UTF-8", again.Error, StringComparison.Ordinal);
        Assert.True(skipping.ExitCode == 1, skipping.ToString());
        Assert.Equal(sentBefore, emulator.GetRequests().Count);
        Assert.DoesNotContain(emulator.GetProfiles(), p => p.Attributes.Values.Any(a => a.Value.Contains('\uFFFD', StringComparison.Ordinal)) || (p.ThirdPartyId?.Contains('\uFFFD', StringComparison.Ordinal) ?? false));
    }

    /// <summary>Item 5: <c>--wait</c> left batches "status not known" and still exited 0 with every row accepted.</summary>
    [Fact]
    public async Task Import_ViaBulkWait_WhenABatchStatusCannotBeRead_NeverCountsItsRowsAsAccepted_AndExits4()
    {
        await using var emulator = await TestFiles.StartEmulatorAsync(0, o =>
        {
            o.BulkMaxRows = 10;
            o.MaxRetainedBatches = 10;
            o.BulkCallsPerMinute = 10_000;
        });
        string csv = _files.WriteRows("bulkwait.csv", 120);

        var result = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "import", csv, "--via", "bulk", "--batch-rows", "10", "--wait", "--poll-interval", "1"]);

        // 12 batches, the server keeps the status of the last 10: the first 2 cannot be confirmed.
        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Equal(12, emulator.GetBatches().Count + 2);
        Assert.Equal(100, ImportTests.SummaryCount(result.Out, "Accepted"));
        Assert.Equal(20, ImportTests.SummaryCount(result.Out, "Not confirmed"));
        Assert.DoesNotContain("Every row was accepted", result.Out, StringComparison.Ordinal);
        var failures = TestFiles.ReadCsv(_files.PathOf("bulkwait.failures.csv"));
        Assert.Equal(Enumerable.Range(0, 20).Select(TestFiles.Id), failures.Skip(1).Select(r => r[0]));
        Assert.All(failures.Skip(1), r => Assert.StartsWith("not confirmed:", r[^1], StringComparison.Ordinal));
    }

    /// <summary>Item 9: <c>--failures</c> in a folder that does not exist: every row was sent, then writing the ledger failed.</summary>
    [Fact]
    public async Task Import_WhenTheFailuresFolderDoesNotExist_RefusesBeforeSendingAnything()
    {
        await using var emulator = await TestFiles.StartEmulatorAsync(5);
        string csv = _files.WriteRows("rows.csv", 5);

        var result = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "import", csv, "--via", "single", "--failures", _files.PathOf("missing/folder/f.csv")]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("does not exist", result.Error, StringComparison.Ordinal);
        Assert.Empty(emulator.GetRequests());
    }

    /// <summary>Item 9: the input modified during a row-by-row import ended with "unexpected failure (ProfileBatchException)",
    /// no summary and no failures file.</summary>
    [Fact]
    public async Task Import_WhenTheInputChangesDuringTheImport_StillWritesTheSummaryAndTheFailuresFile()
    {
        const int Rows = 3_000;
        await using var emulator = await TestFiles.StartEmulatorAsync(Rows);
        string csv = _files.PathOf("changing.csv");
        var text = new StringBuilder("thirdPartyId,tier,note\n");
        for (int i = 0; i < Rows; i++)
        {
            text.Append(TestFiles.Id(i)).Append(",tier-").Append(i).Append(',').Append('x', 300).Append('\n');
        }

        File.WriteAllText(csv, text.ToString());
        emulator.InjectFaults([.. Enumerable.Range(0, 400).Select(_ => EmulatorFault.Slow(TimeSpan.FromMilliseconds(5)))]);
        using var process = CliProcess.Start(_files.Directory, [.. TestFiles.Target(emulator), "import", csv, "--via", "single", "--concurrency", "1"]);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (emulator.AppliedUpdates < 50 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10); // polls the emulator while a real child process imports (no fake clock); the emulator raises no event
        }

        // Rewrite it in place with rows of one field: the reader meets them where it stands.
        File.WriteAllText(csv, "thirdPartyId\n" + string.Concat(Enumerable.Repeat("only-one-field\n", Rows)));
        var result = await process.WaitAsync(TimeSpan.FromSeconds(120));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("Import summary", result.Out, StringComparison.Ordinal);
        Assert.Contains("the input file changed", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected failure", result.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(_files.PathOf("changing.failures.csv")));
        long accepted = ImportTests.SummaryCount(result.Out, "Accepted");
        Assert.Equal(emulator.AppliedUpdates, accepted);
        Assert.Equal(Rows, accepted + ImportTests.SummaryCount(result.Out, "Not sent") + ImportTests.SummaryCount(result.Out, "Failed"));
    }

    /// <summary>Item 9: a stray quote in a big export took 4.2 GB and ended in an OverflowException with no line number.</summary>
    [Fact]
    public async Task Import_StrayQuoteInABigFile_IsACsvErrorWithItsLine_InBoundedMemory()
    {
        await using var emulator = await TestFiles.StartEmulatorAsync(0);
        string csv = _files.PathOf("stray.csv");
        using (var writer = new StreamWriter(csv, false, new UTF8Encoding(false)))
        {
            writer.Write("thirdPartyId,tier\ncrm-0,gold\ncrm-1,\"gold\n");
            string row = "crm-2,silver-" + new string('s', 90) + "\n";
            for (int i = 0; i < 1_500_000; i++)
            {
                writer.Write(row);
            }
        }

        // 150 MB of text after the stray quote; the tool may use at most 96 MB of heap.
        var result = await CliProcess.RunAsync(_files.Directory, new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x6000000" }, [.. TestFiles.Target(emulator), "import", csv]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("line 3: a field is longer than 1,000,000 characters", result.Error, StringComparison.Ordinal);
        Assert.Empty(emulator.GetRequests());
    }

    /// <summary>Item 10: the server failing for a while opened the breaker, and every row behind it failed at once.</summary>
    [Fact]
    public async Task Import_WhenTheServerFailsForAWhile_WaitsOutTheOpenBreaker_InsteadOfFailingEveryRowBehindIt()
    {
        const int Rows = 200;
        await using var emulator = await TestFiles.StartEmulatorAsync(Rows);
        string csv = _files.WriteRows("outage.csv", Rows);

        // 20 answers of 503 in a row: exactly what opens a breaker (20 calls, all failed), then the server is back.
        emulator.InjectFaults([.. Enumerable.Range(0, 20).Select(_ => EmulatorFault.Status(503))]);

        var result = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "import", csv, "--via", "single", "--concurrency", "4"]);

        long failed = ImportTests.SummaryCount(result.Out, "Failed");
        Assert.InRange(failed, 0, 8);
        Assert.Equal(0, ImportTests.SummaryCount(result.Out, "Not sent"));
        Assert.Equal(Rows - failed, ImportTests.SummaryCount(result.Out, "Accepted"));
        Assert.Equal(Rows - failed, TestFiles.UpdatedIds(emulator).Count);
        Assert.True(result.ExitCode == (failed == 0 ? 0 : 1), result.ToString());
    }

    /// <summary>Item 11: with a refused token, every one of 5,000 rows was sent (5,000 × 403), and the hint named SDK options.</summary>
    [Fact]
    public async Task Import_WhenTheTokenIsRefused_StopsAfterTheFirstAuthenticationFailure_AndHintsInTheToolsTerms()
    {
        const int Rows = 5_000;
        await using var emulator = await TestFiles.StartEmulatorAsync(Rows, o => o.AuthorizationToken = "the-right-token");
        string csv = _files.WriteRows("refused.csv", Rows);

        var result = await CliProcess.RunAsync(_files.Directory, new Dictionary<string, string> { ["TARGET_PROFILE_TOKEN"] = "a-wrong-token" }, [.. TestFiles.Target(emulator), "import", csv, "--via", "single", "--concurrency", "4"]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.InRange(emulator.GetRequests().Count, 1, 8);
        long failed = ImportTests.SummaryCount(result.Out, "Failed");
        Assert.InRange(failed, 1, 8);
        Assert.Equal(Rows - failed, ImportTests.SummaryCount(result.Out, "Not sent"));
        Assert.Contains("TARGET_PROFILE_TOKEN", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("AuthorizationToken", result.Out + result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("a-wrong-token", result.Out + result.Error, StringComparison.Ordinal);
        var failures = TestFiles.ReadCsv(_files.PathOf("refused.failures.csv"));
        Assert.Equal(Rows, failures.Count - 1);
        Assert.All(failures.Skip(1), r => Assert.Contains("TARGET_PROFILE_TOKEN", r[^1], StringComparison.Ordinal));
        Assert.DoesNotContain(failures.Skip(1), r => r[^1].Contains("AuthorizationToken", StringComparison.Ordinal));
    }

    /// <summary>Item 11: the tool always called the default IMS host; it can be pointed at any endpoint, such as the emulator.</summary>
    [Fact]
    public async Task Import_WithImsCredentials_GetsItsTokenFromTheImsEndpointTheEnvironmentNames()
    {
        await using var emulator = await TestFiles.StartEmulatorAsync(3, o =>
        {
            o.ImsClientId = "cli-client";
            o.ImsClientSecret = "cli-secret";
        });
        string csv = _files.WriteRows("ims.csv", 3);
        var environment = new Dictionary<string, string>
        {
            ["TARGET_IMS_CLIENT_ID"] = "cli-client",
            ["TARGET_IMS_CLIENT_SECRET"] = "cli-secret",
            ["TARGET_IMS_SCOPES"] = "openid,AdobeID,target_sdk",
            ["TARGET_TENANT"] = emulator.ClientCode,
            ["TARGET_IMS_TOKEN_ENDPOINT"] = new Uri(emulator.BaseAddress, "ims/token/v3").ToString(),
            ["TARGET_ADMIN_API_BASE_ADDRESS"] = emulator.BaseAddress.ToString(),
        };

        var result = await CliProcess.RunAsync(_files.Directory, environment, [.. TestFiles.Target(emulator), "import", csv, "--via", "single"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(emulator.ImsTokenRequests >= 1);
        Assert.Equal(3, TestFiles.UpdatedIds(emulator).Count);
        Assert.DoesNotContain("cli-secret", result.Out + result.Error, StringComparison.Ordinal);
    }

    /// <summary>Item 14: a trailing column named <c>error</c> in an ordinary export was silently not sent.</summary>
    [Fact]
    public async Task Import_TrailingColumnNamedError_InAFileThatIsNotAFailuresFile_IsSent()
    {
        await using var emulator = await TestFiles.StartEmulatorAsync(2);
        string csv = _files.PathOf("error-column.csv");
        File.WriteAllText(csv, "thirdPartyId,tier,error\ncrm-0,gold,E42\ncrm-1,silver,E43\n");

        var result = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "import", csv, "--via", "single"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("E42", emulator.FindByThirdPartyId("crm-0")!.Attributes["error"].Value);
        Assert.Equal("E43", emulator.FindByThirdPartyId("crm-1")!.Attributes["error"].Value);
    }

    /// <summary>Item 15: a stale failures file survived a later run in which every row was accepted.</summary>
    [Fact]
    public async Task Import_WhenEveryRowIsAccepted_RemovesTheStaleFailuresFileOfAnEarlierRun()
    {
        await using var emulator = await TestFiles.StartEmulatorAsync(5);
        string csv = _files.WriteRows("stale.csv", 5);
        string failures = _files.PathOf("stale.failures.csv");
        File.WriteAllText(failures, "thirdPartyId,tier,note,target-profile-error\ncrm-0,old-tier,old,HTTP 500\n");

        var result = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "import", csv, "--via", "single"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(File.Exists(failures));
        Assert.Contains("Removed " + failures, result.Out, StringComparison.Ordinal);
    }

    /// <summary>Item 16: secrets given as <c>--token:SECRET</c>, <c>/token:SECRET</c> or <c>--tokne=SECRET</c> were echoed.</summary>
    [Theory]
    [InlineData("--token:S3CRET-VALUE")]
    [InlineData("/token:S3CRET-VALUE")]
    [InlineData("--tokne=S3CRET-VALUE")]
    [InlineData("-token=S3CRET-VALUE")]
    [InlineData("--client-secret:S3CRET-VALUE")]
    [InlineData("--clientsecret=S3CRET-VALUE")]
    [InlineData("--unknown-option=S3CRET-VALUE")]
    public async Task Secrets_InAnySpelling_AreNeverEchoed(string argument)
    {
        var result = await CliProcess.RunAsync(_files.Directory, [argument, "fetch", "--third-party-id", "x", "--emulator"]);

        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("S3CRET-VALUE", result.Out + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secrets_AsTheValueAfterAnUnknownOption_AreNeverEchoed()
    {
        var result = await CliProcess.RunAsync(_files.Directory, ["fetch", "--emulator", "--third-party-id", "x", "--tokne", "S3CRET-VALUE"]);

        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("S3CRET-VALUE", result.Out + result.Error, StringComparison.Ordinal);
    }

    /// <summary>Item 19: batch 1 of 500 rows refused showed Failed 501, and row 501 carried batch 1's reason.</summary>
    [Fact]
    public async Task Import_ViaBulk_WhenTheFirstBatchIsRefused_FailsExactlyItsRows_AndCountsRowsFrom1()
    {
        await using var emulator = await TestFiles.StartEmulatorAsync(0, o => o.BulkCallsPerMinute = 10_000);
        emulator.InjectFaults(EmulatorFault.FailBatch(1, 400));
        string csv = _files.WriteRows("firstrefused.csv", 1_000);

        var result = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "import", csv, "--via", "bulk", "--batch-rows", "500"]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(500, ImportTests.SummaryCount(result.Out, "Failed"));
        Assert.Equal(500, ImportTests.SummaryCount(result.Out, "Not sent"));
        var failures = TestFiles.ReadCsv(_files.PathOf("firstrefused.failures.csv"));
        Assert.Equal(1_000, failures.Count - 1);
        Assert.StartsWith("batch 1 (rows 1 to 500) was refused: ", failures[500][^1], StringComparison.Ordinal);
        Assert.StartsWith("not sent: ", failures[501][^1], StringComparison.Ordinal);
        Assert.All(failures.Skip(1), r => Assert.DoesNotContain("#", r[^1], StringComparison.Ordinal));
        Assert.All(failures.Skip(1), r => Assert.True(Regex.Count(r[^1], "attempt") <= 1, r[^1]));
    }

    /// <summary>Item 19: <c>--poll-interval</c> took a bare number of seconds where every other duration takes 5s or 1m.</summary>
    [Fact]
    public async Task PollInterval_WithoutAUnitItUnderstands_IsAUsageErrorThatSaysWhatItTakes()
    {
        var bad = await CliProcess.RunAsync(_files.Directory, ["--emulator", "batch-status", "http://127.0.0.1:1/m2/demo/v2/profile/batchStatus?batchId=x", "--poll-interval", "soon"]);

        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--poll-interval must be a duration from 1s to 1h, such as 5s, 1m or 1h", bad.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _files.Dispose();

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
