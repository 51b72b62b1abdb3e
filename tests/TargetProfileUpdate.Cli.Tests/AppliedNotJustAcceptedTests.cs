namespace TargetProfileUpdate.Cli.Tests;

/// <summary>
/// Issue 21 item 4: <c>import</c> printed "Every row was accepted" and exited 0 over 5,000 new third-party ids the
/// Single Profile Update API had dropped. The tool as a real process against the emulator.
/// </summary>
[Trait("Category", "Slow")]
public sealed class AppliedNotJustAcceptedTests : IDisposable
{
    private readonly TestFiles _files = new();

    [Fact]
    public async Task Import_5000NewThirdPartyIds_WithoutVia_GoesBulkV2_AndEndsWithEveryProfileCreated()
    {
        const int Rows = 5_000;
        await using var emulator = await TestFiles.StartEmulatorAsync(0, o => o.BulkCallsPerMinute = 10_000);
        string csv = _files.WriteRows("new-ids.csv", Rows);

        var result = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "import", csv, "--wait", "--poll-interval", "1s"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("via bulk (v2", result.Out, StringComparison.Ordinal);
        Assert.Equal(Rows, TestFiles.UpdatedIds(emulator).Count);
        Assert.Equal(0, emulator.DroppedUpdates);
        Assert.Contains("accepted by Adobe Target for processing; updates are visible within about an hour", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_ViaSingle_IdsWithoutAProfile_AreNotSent_ReportedInTheirOwnCountAndTheFailuresFile_AndExit4()
    {
        const int Rows = 5_000;
        const int Existing = 3_000;
        await using var emulator = await TestFiles.StartEmulatorAsync(Existing);
        string csv = _files.WriteRows("mixed-ids.csv", Rows);

        var result = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "import", csv, "--via", "single", "--concurrency", "32"]);

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.DoesNotContain("Every row was accepted", result.Out, StringComparison.Ordinal);
        Assert.Equal(Existing, ImportTests.SummaryCount(result.Out, "Accepted"));
        Assert.Equal(Rows - Existing, ImportTests.SummaryCount(result.Out, "No profile (not sent)"));
        Assert.Equal(0, emulator.DroppedUpdates);
        Assert.Equal(Existing, emulator.AppliedUpdates);
        var failures = TestFiles.ReadCsv(_files.PathOf("mixed-ids.failures.csv"));
        Assert.Equal(Enumerable.Range(Existing, Rows - Existing).Select(TestFiles.Id), failures.Skip(1).Select(r => r[0]));
        Assert.All(failures.Skip(1), r => Assert.StartsWith("no profile (not sent)", r[^1], StringComparison.Ordinal));

        // The failures file imports as is, through the route that creates the profiles.
        var again = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "import", _files.PathOf("mixed-ids.failures.csv"), "--via", "bulk", "--wait", "--poll-interval", "1s"]);

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(Rows, TestFiles.UpdatedIds(emulator).Count);
    }

    [Fact]
    public async Task Import_Verify_ReadsBackASample_AndReportsRowsThatDidNotLand_WithExit4()
    {
        const int Rows = 100;
        const int Existing = 60;
        await using var emulator = await TestFiles.StartEmulatorAsync(Existing);
        string csv = _files.WriteRows("verify.csv", Rows);

        // Without the existence check, Adobe (and the emulator) accept the 40 updates for unknown ids and drop them.
        var result = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "import", csv, "--via", "single", "--skip-existence-check", "--verify", "--verify-sample", "100", "--verify-after", "0s"]);

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Equal(Rows - Existing, emulator.DroppedUpdates);
        Assert.Contains("Verified 100 accepted rows (a sample): 60 landed, 40 not landed.", result.Out, StringComparison.Ordinal);
        Assert.Equal(Existing, ImportTests.SummaryCount(result.Out, "Accepted"));
        Assert.Equal(Rows - Existing, ImportTests.SummaryCount(result.Out, "Not landed (verified)"));
        Assert.DoesNotContain("Every row was accepted", result.Out, StringComparison.Ordinal);
        var failures = TestFiles.ReadCsv(_files.PathOf("verify.failures.csv"));
        Assert.Equal(Enumerable.Range(Existing, Rows - Existing).Select(TestFiles.Id), failures.Skip(1).Select(r => r[0]));
        Assert.All(failures.Skip(1), r => Assert.StartsWith("not landed (--verify)", r[^1], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Import_Verify_WhenEveryRowLanded_Exits0()
    {
        await using var emulator = await TestFiles.StartEmulatorAsync(20);
        string csv = _files.WriteRows("landed.csv", 20);

        var result = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "import", csv, "--via", "single", "--verify", "--verify-sample", "5", "--verify-after", "0s"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Verified 5 accepted rows (a sample): 5 landed, 0 not landed.", result.Out, StringComparison.Ordinal);
        Assert.Contains("Every row was accepted.", result.Out, StringComparison.Ordinal);
    }

    public void Dispose() => _files.Dispose();
}
