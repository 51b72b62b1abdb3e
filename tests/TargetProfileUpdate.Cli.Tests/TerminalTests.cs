using System.Diagnostics;

namespace TargetProfileUpdate.Cli.Tests;

[Trait("Category", "Slow")]
public sealed class TerminalTests : IDisposable
{
    private readonly TestFiles _files = new();

    [Fact]
    public async Task Import_OnAPseudoTerminal_RendersALiveProgressBar_AndEndsWithTheSummary()
    {
        Assert.True(File.Exists("/usr/bin/script"), "util-linux 'script' is needed for the pseudo-terminal test (apt-get install bsdutils).");
        const int Rows = 5_000;
        await using var emulator = await TestFiles.StartEmulatorAsync(Rows);
        string csv = _files.WriteRows("tty.csv", Rows);
        var (exitCode, screen) = await RunOnPseudoTerminalAsync([.. TestFiles.Target(emulator), "import", csv, "--via", "single", "--concurrency", "4"]);

        Assert.True(exitCode == 0, screen);
        Assert.Contains('\u001b', screen);                          // a live display, with escape codes
        Assert.Contains("━", screen, StringComparison.Ordinal);     // the progress bar
        Assert.Contains("rows/s", screen, StringComparison.Ordinal);
        Assert.DoesNotContain("progress: ", screen, StringComparison.Ordinal); // not the plain lines
        int summary = screen.LastIndexOf("Import summary", StringComparison.Ordinal);
        Assert.True(summary > screen.LastIndexOf('━'), "the summary comes after the progress bar");
        Assert.Contains("Every row was accepted.", screen[summary..], StringComparison.Ordinal);
        Assert.Equal(Rows, TestFiles.UpdatedIds(emulator).Count);
    }

    [Fact]
    public async Task ImportViaBulk_OnAPseudoTerminal_ShowsTheBatchesAndTheirStates()
    {
        const int Rows = 20_000;
        await using var emulator = await TestFiles.StartEmulatorAsync(0);
        string csv = _files.WriteRows("ttybulk.csv", Rows);

        var (exitCode, screen) = await RunOnPseudoTerminalAsync([.. TestFiles.Target(emulator), "import", csv, "--via", "bulk", "--batch-rows", "5000", "--wait", "--poll-interval", "1"]);

        Assert.True(exitCode == 0, screen);
        string text = System.Text.RegularExpressions.Regex.Replace(screen, @"\u001b\[[0-9;?]*[a-zA-Z]", string.Empty);
        for (int batch = 1; batch <= 4; batch++)
        {
            Assert.Contains("batch " + batch + ": 5,000 rows, complete", text, StringComparison.Ordinal); // the live line per batch
        }

        Assert.Contains("Final counts of 4 batch(es): consumedCount 20,000", text, StringComparison.Ordinal);

        Assert.True(screen.LastIndexOf("Import summary", StringComparison.Ordinal) > screen.LastIndexOf('━'), "the summary comes after the progress display");
        Assert.Equal(Rows, TestFiles.UpdatedIds(emulator).Count);
    }

    private async Task<(int ExitCode, string Screen)> RunOnPseudoTerminalAsync(string[] args)
    {
        Assert.True(File.Exists("/usr/bin/script"), "util-linux 'script' is needed for the pseudo-terminal test (apt-get install bsdutils).");
        string command = string.Join(' ', ((string[])["dotnet", CliProcess.ToolDll, .. args]).Select(Quote));

        var start = new ProcessStartInfo("script", ["-qfec", command, "/dev/null"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = _files.Directory,
        };
        CliProcess.Sanitize(start.Environment);
        start.Environment["TERM"] = "xterm-256color";
        start.Environment["COLUMNS"] = "120";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output);
    }

    private static string Quote(string arg) => "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public void Dispose() => _files.Dispose();
}
