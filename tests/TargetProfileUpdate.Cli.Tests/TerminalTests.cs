using System.Diagnostics;

namespace TargetProfileUpdate.Cli.Tests;

public sealed class TerminalTests : IDisposable
{
    private readonly TestFiles _files = new();

    [Fact]
    public async Task Import_OnAPseudoTerminal_RendersALiveProgressBar_AndEndsWithTheSummary()
    {
        Assert.True(File.Exists("/usr/bin/script"), "util-linux 'script' is needed for the pseudo-terminal test (apt-get install bsdutils).");
        const int Rows = 20_000;
        await using var emulator = await TestFiles.StartEmulatorAsync(Rows);
        string csv = _files.WriteRows("tty.csv", Rows);
        string command = string.Join(' ', ((string[])["dotnet", CliProcess.ToolDll, .. TestFiles.Target(emulator), "import", csv, "--concurrency", "2"]).Select(Quote));

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
        string screen = await output;

        Assert.True(process.ExitCode == 0, screen);
        Assert.Contains('\u001b', screen);                          // a live display, with escape codes
        Assert.Contains("━", screen, StringComparison.Ordinal);     // the progress bar
        Assert.Contains("rows/s", screen, StringComparison.Ordinal);
        Assert.DoesNotContain("progress: ", screen, StringComparison.Ordinal); // not the plain lines
        int summary = screen.LastIndexOf("Import summary", StringComparison.Ordinal);
        Assert.True(summary > screen.LastIndexOf('━'), "the summary comes after the progress bar");
        Assert.Contains("Every row was accepted.", screen[summary..], StringComparison.Ordinal);
        Assert.Equal(Rows, TestFiles.UpdatedIds(emulator).Count);
    }

    private static string Quote(string arg) => "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public void Dispose() => _files.Dispose();
}
