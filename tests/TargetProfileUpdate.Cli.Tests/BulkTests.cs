using System.Text.RegularExpressions;
using TargetProfileUpdate.Emulator;

namespace TargetProfileUpdate.Cli.Tests;

/// <summary>The Bulk Profile Update API through the tool, as a real process against the emulator.</summary>
[Trait("Category", "Slow")]
public sealed class BulkTests : IDisposable
{
    private readonly TestFiles _files = new();

    [Fact]
    public async Task Import_200000ThirdPartyIdRows_WithoutVia_GoesBulk_InSmallBatches_AndWaitCreatesEveryProfile()
    {
        const int Rows = 200_000;
        await using var emulator = await StartAsync(bulkMaxRows: 50_000);
        string csv = _files.WriteRows("bulk.csv", Rows);

        var result = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "import", csv, "--batch-rows", "50000", "--wait", "--poll-interval", "1s"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("via bulk (v2, up to 50,000 rows", result.Out, StringComparison.Ordinal);
        var batches = emulator.GetBatches();
        Assert.Equal(4, batches.Count);
        Assert.All(batches, b => Assert.Equal((2, 50_000L, EmulatedBatchStatus.Complete), (b.ApiVersion, b.BatchSize, b.Status)));
        Assert.Equal(0, emulator.AppliedUpdates); // no single update was sent
        Assert.Equal(Rows, TestFiles.UpdatedIds(emulator).Count);
        Assert.Equal(TestFiles.ExpectedNote(Rows - 1), emulator.FindByThirdPartyId(TestFiles.Id(Rows - 1))!.Attributes["note"].Value);
        Assert.Contains("Final counts of 4 batch(es): consumedCount 200,000, successfulUpdates 200,000, profilesNotFound 0, failedUpdates 0", result.Out, StringComparison.Ordinal);
        Assert.Equal(4, Regex.Count(result.Out, @"^Batch \d [^ ]+: 50,000 rows from row [0-9,]+, complete \(consumedCount 50,000", RegexOptions.Multiline));
        Assert.Equal(Rows, ImportTests.SummaryCount(result.Out, "Accepted"));
        Assert.False(File.Exists(_files.PathOf("bulk.failures.csv")));
    }

    public static TheoryData<string> RefusedBatches() => new() { "FailBatch", "RefuseBatch" };

    [Theory]
    [MemberData(nameof(RefusedBatches))]
    public async Task Import_ViaBulk_WhenTheSecondBatchIsRefused_FailuresFileHoldsExactlyItsRowsAndTheLaterOnes_AndReimportCompletesTheSet(string fault)
    {
        const int Rows = 200;
        await using var emulator = await StartAsync(bulkMaxRows: 50);
        emulator.InjectFaults(fault == "FailBatch" ? EmulatorFault.FailBatch(2, 400) : EmulatorFault.RefuseBatch(2, "Batch could not be processed"));
        string csv = _files.WriteRows("refused.csv", Rows);

        var first = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "import", csv, "--via", "bulk", "--batch-rows", "50"]);

        Assert.True(first.ExitCode == 1, first.ToString());
        var failures = TestFiles.ReadCsv(_files.PathOf("refused.failures.csv"));
        Assert.Equal(["thirdPartyId", "tier", "note", "target-profile-error"], failures[0]);
        Assert.Equal(Enumerable.Range(50, 150).Select(TestFiles.Id), failures.Skip(1).Select(r => r[0]));
        Assert.All(failures.Skip(1), r => Assert.Equal(TestFiles.ExpectedNote(int.Parse(r[0]["crm-".Length..], System.Globalization.CultureInfo.InvariantCulture)), r[2]));
        Assert.All(failures.Skip(1).Take(50), r => Assert.DoesNotContain("not sent", r[3], StringComparison.Ordinal));
        Assert.All(failures.Skip(1), r => Assert.DoesNotContain(r[0], r[3], StringComparison.Ordinal));
        Assert.Equal(Enumerable.Range(0, 50).Select(TestFiles.Id).ToHashSet(), TestFiles.UpdatedIds(emulator));
        Assert.Equal(50, ImportTests.SummaryCount(first.Out, "Accepted"));
        Assert.Equal(Rows - 50, ImportTests.SummaryCount(first.Out, "Failed") + ImportTests.SummaryCount(first.Out, "Not sent"));

        var again = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "import", _files.PathOf("refused.failures.csv"), "--via", "bulk", "--batch-rows", "50"]);

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(Rows, TestFiles.UpdatedIds(emulator).Count);
    }

    [Fact]
    public async Task Import_ViaBulk_OnSigint_StopsReading_AcceptedBatchesPlusFailuresFileAreTheWholeFile_AndExits130()
    {
        const int Rows = 100_000;
        await using var emulator = await StartAsync(bulkMaxRows: 1_000, processingDelay: TimeSpan.Zero, slowBatches: true);
        string csv = _files.WriteRows("sigbulk.csv", Rows);
        using var process = CliProcess.Start(_files.Directory, [.. TestFiles.Target(emulator), "import", csv, "--via", "bulk", "--batch-rows", "1000", "--progress-interval", "0.1", "--grace-period", "30"]);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (emulator.GetBatches().Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20); // polls the emulator while a real child process imports (no fake clock); the emulator raises no event
        }

        process.Interrupt();
        var result = await process.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 130, result.ToString());
        var accepted = TestFiles.UpdatedIds(emulator);
        var notSent = TestFiles.ReadCsv(_files.PathOf("sigbulk.failures.csv")).Skip(1).ToList();
        Assert.InRange(accepted.Count, 2_000, Rows - 1);
        Assert.Equal(emulator.GetBatches().Sum(b => b.BatchSize), accepted.Count);
        Assert.Equal(Rows, accepted.Count + notSent.Count);
        Assert.Empty(notSent.Select(r => r[0]).Intersect(accepted));
        Assert.All(notSent, r => Assert.StartsWith("not sent: the import was interrupted", r[3], StringComparison.Ordinal));
        Assert.Equal(accepted.Count, ImportTests.SummaryCount(result.Out, "Accepted"));
        Assert.Equal(notSent.Count, ImportTests.SummaryCount(result.Out, "Not sent"));
    }

    [Fact]
    public async Task BatchStatus_ShowsTheBatch_WaitFollowsItToCompletion_AndAnUnknownBatchExits3()
    {
        await using var emulator = await StartAsync(bulkMaxRows: 500_000, processingDelay: TimeSpan.FromSeconds(1));
        string csv = _files.WriteRows("status.csv", 10);
        var import = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "import", csv, "--via", "bulk"]);
        Assert.True(import.ExitCode == 0, import.ToString());
        string url = Regex.Match(import.Out, @"https?://\S+batchStatus\S+").Value;
        Assert.Equal(emulator.GetBatches().Single().StatusUrl.ToString(), url);

        var now = await CliProcess.RunAsync(_files.Directory, ["--base-address", emulator.BaseAddress.ToString(), "batch-status", url]);
        var waited = await CliProcess.RunAsync(_files.Directory, ["--base-address", emulator.BaseAddress.ToString(), "batch-status", url, "--wait", "--poll-interval", "1s"]);
        var unknown = await CliProcess.RunAsync(_files.Directory, ["--base-address", emulator.BaseAddress.ToString(), "batch-status", url.Replace("batchId=", "batchId=nope-", StringComparison.Ordinal)]);

        Assert.True(now.ExitCode == 0, now.ToString());
        Assert.Contains(emulator.GetBatches().Single().BatchId, now.Out, StringComparison.Ordinal);
        Assert.True(waited.ExitCode == 0, waited.ToString());
        Assert.Matches(@"│ State +│ +complete │", waited.Out);
        Assert.Matches(@"│ consumedCount +│ +10 │", waited.Out);
        Assert.Matches(@"│ successfulUpdates +│ +10 │", waited.Out);
        Assert.Matches(@"│ failedUpdates +│ +0 │", waited.Out);
        Assert.True(unknown.ExitCode == 3, unknown.ToString());
    }

    [Theory]
    [InlineData(null, ProfileIdKind.ThirdPartyId, true)]
    [InlineData(null, ProfileIdKind.PcId, false)]
    [InlineData("single", ProfileIdKind.ThirdPartyId, false)]
    [InlineData("bulk", ProfileIdKind.PcId, true)]
    public void ChooseBulk_WithoutVia_IsBulkForEveryThirdPartyIdFile(string? via, ProfileIdKind kind, bool bulk) =>
        Assert.Equal(bulk, TargetProfileUpdate.Cli.Commands.ImportCommand.ChooseBulk(via, kind));

    public void Dispose() => _files.Dispose();

    private static async Task<TargetEmulator> StartAsync(int bulkMaxRows, TimeSpan processingDelay = default, bool slowBatches = false)
    {
        var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions
        {
            ClientCode = "clitest",
            MaxRecordedRequests = 100,
            BulkMaxRows = bulkMaxRows,
            BatchProcessingDelay = processingDelay,
            PropagationDelay = TimeSpan.Zero,
            MaxRetainedBatches = 1_000,
            BulkCallsPerMinute = 10_000,
        });
        if (slowBatches)
        {
            // Each batch takes a moment, so Ctrl+C arrives while rows are still being read.
            emulator.InjectFaults([.. Enumerable.Range(0, 200).Select(_ => EmulatorFault.Slow(TimeSpan.FromMilliseconds(100)).For(EmulatorFaultTarget.BatchUpdate))]);
        }

        return emulator;
    }
}
