using TargetProfileUpdate.Emulator;

namespace TargetProfileUpdate.Cli.Tests;

[Trait("Category", "Slow")]
public sealed class ImportTests : IDisposable
{
    private readonly TestFiles _files = new();

    [Fact]
    public async Task Import_200000Rows_ViaSingle_UpdatesEveryProfileAndExits0()
    {
        const int Rows = 200_000;
        await using var emulator = await TestFiles.StartEmulatorAsync(Rows);
        string csv = _files.WriteRows("big.csv", Rows);

        var result = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "import", csv, "--via", "single", "--concurrency", "64"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Rows, TestFiles.UpdatedIds(emulator).Count);
        Assert.Equal(TestFiles.ExpectedNote(Rows - 1), emulator.FindByThirdPartyId(TestFiles.Id(Rows - 1))!.Attributes["note"].Value);
        Assert.Equal(Rows, emulator.AppliedUpdates);
        Assert.Contains("Every row was accepted.", result.Out, StringComparison.Ordinal);
        Assert.False(File.Exists(_files.PathOf("big.failures.csv")));
    }

    [Fact]
    public async Task Import_WhenSomeRowsAreRejected_FailuresFileHoldsExactlyThoseRows_AndReimportCompletesTheSet()
    {
        const int Rows = 3_000;
        const int Faults = 7;
        await using var emulator = await TestFiles.StartEmulatorAsync(Rows);
        string csv = _files.WriteRows("crm.csv", Rows);
        emulator.InjectFaults([.. Enumerable.Range(0, Faults).Select(_ => EmulatorFault.FalseBody())]);

        var first = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "import", csv, "--via", "single", "--concurrency", "8"]);

        Assert.True(first.ExitCode == 1, first.ToString());
        string failures = _files.PathOf("crm.failures.csv");
        var rows = TestFiles.ReadCsv(failures);
        Assert.Equal(["thirdPartyId", "tier", "note", "target-profile-error"], rows[0]);
        Assert.Equal(Faults, rows.Count - 1);
        var updated = TestFiles.UpdatedIds(emulator);
        var failed = rows.Skip(1).Select(r => r[0]).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(Rows - Faults, updated.Count);
        Assert.Empty(failed.Intersect(updated));
        foreach (var row in rows.Skip(1))
        {
            int i = int.Parse(row[0]["crm-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(["tier-" + i, TestFiles.ExpectedNote(i)], row[1..3]);
            Assert.False(string.IsNullOrWhiteSpace(row[3]));
            Assert.DoesNotContain(row[0], row[3], StringComparison.Ordinal);
            Assert.DoesNotContain("quoted", row[3], StringComparison.Ordinal);
        }

        var again = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "import", failures, "--via", "single"]);

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(Rows, TestFiles.UpdatedIds(emulator).Count);
        Assert.Equal(Rows, emulator.AppliedUpdates);
    }

    [Fact]
    public async Task Import_OnSigint_StopsReading_WritesExactlyTheNotSentRows_AndExits130()
    {
        const int Rows = 200_000;
        await using var emulator = await TestFiles.StartEmulatorAsync(Rows);
        string csv = _files.WriteRows("sig.csv", Rows);
        using var process = CliProcess.Start(_files.Directory, [.. TestFiles.Target(emulator), "import", csv, "--via", "single", "--concurrency", "4", "--progress-interval", "0.1"]);

        // Interrupt once the import is under way (the progress lines show accepted rows).
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (emulator.AppliedUpdates < 2_000 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20); // polls the emulator while a real child process imports (no fake clock); the emulator raises no event
        }

        process.Interrupt();
        var result = await process.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 130, result.ToString());
        var updated = TestFiles.UpdatedIds(emulator);
        var notSent = TestFiles.ReadCsv(_files.PathOf("sig.failures.csv")).Skip(1).ToList();
        Assert.InRange(updated.Count, 2_000, Rows - 1);
        Assert.Equal(Rows, updated.Count + notSent.Count);
        Assert.Empty(notSent.Select(r => r[0]).Intersect(updated));
        Assert.All(notSent, r => Assert.StartsWith("not sent: the import was interrupted", r[3], StringComparison.Ordinal));
        Assert.Equal(updated.Count, SummaryCount(result.Out, "Accepted"));
        Assert.Equal(notSent.Count, SummaryCount(result.Out, "Not sent"));
        Assert.Equal(0, SummaryCount(result.Out, "Failed"));
        Assert.Contains("Interrupted", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_WhenRedirected_PrintsPlainProgressLines_WithoutEscapeCodes()
    {
        const int Rows = 20_000;
        await using var emulator = await TestFiles.StartEmulatorAsync(Rows);
        string csv = _files.WriteRows("plain.csv", Rows);

        var result = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "import", csv, "--via", "single", "--concurrency", "2", "--progress-interval", "100ms"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Out.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("progress: ", StringComparison.Ordinal) && l.Contains("/20,000 rows", StringComparison.Ordinal) && l.Contains("rows/s", StringComparison.Ordinal));
        Assert.DoesNotContain('\u001b', result.Out);
        Assert.Contains("Import summary", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_SkipInvalid_SendsTheValidRows_AndPutsTheInvalidOnesInTheFailuresFile()
    {
        await using var emulator = await TestFiles.StartEmulatorAsync(5);
        string csv = _files.PathOf("mixed.csv");
        File.WriteAllBytes(csv, [.. "thirdPartyId,tier\ncrm-0,tier-0\ncrm-1,tier-1,extra\ncrm-2,"u8, 0xFF, .. "\ncrm-3,tier-3\n"u8]);

        var result = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "import", csv, "--skip-invalid", "--via", "single"]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(["crm-0", "crm-3"], TestFiles.UpdatedIds(emulator).Order(StringComparer.Ordinal));
        var failures = TestFiles.ReadCsv(_files.PathOf("mixed.failures.csv"));
        Assert.Equal(["thirdPartyId", "tier", "target-profile-error"], failures[0]);
        Assert.Equal(3, failures.Count);
        Assert.Equal(["crm-1", "tier-1", "extra", "line 3, column 3: the row has 3 fields; the header has 2."], failures[1]);
        Assert.Equal("crm-2", failures[2][0]);
        Assert.Equal("line 4, column 7: invalid UTF-8 (save the file as UTF-8).", failures[2][^1]);
    }

    public void Dispose() => _files.Dispose();

    internal static long SummaryCount(string output, string label)
    {
        var match = System.Text.RegularExpressions.Regex.Match(output, "│ " + System.Text.RegularExpressions.Regex.Escape(label) + @" +│ +([0-9,]+) │");
        Assert.True(match.Success, "no '" + label + "' in the summary:\n" + output);
        return long.Parse(match.Groups[1].Value, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);
    }
}
