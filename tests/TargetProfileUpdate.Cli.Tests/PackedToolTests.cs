using System.Diagnostics;
using System.Text.Json;

namespace TargetProfileUpdate.Cli.Tests;

/// <summary>
/// The tool as a user gets it: packed (from the build the test run already made), installed with
/// <c>dotnet tool install --tool-path … --add-source …</c>, and run from the installed copy by its command name.
/// </summary>
[Trait("Category", "Slow")]
public sealed class PackedToolTests : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private readonly TestFiles _files = new();

    [Fact]
    public async Task InstalledTool_FetchUpdateImportAndHelp_WorkAgainstTheEmbeddedEmulator()
    {
        string version = "0.1.0-clitest." + Guid.NewGuid().ToString("N")[..12];
        string feed = _files.PathOf("feed");
        string tools = _files.PathOf("tools");
        string project = Path.Combine(RepositoryRoot(), "src", "TargetProfileUpdate.Cli", "TargetProfileUpdate.Cli.csproj");

        var pack = await DotnetAsync(_files.Directory, "pack", project, "-c", Configuration, "--no-build", "-o", feed, "-p:PackageVersion=" + version);
        Assert.True(pack.ExitCode == 0, pack.ToString());
        var install = await DotnetAsync(_files.Directory, "tool", "install", "--tool-path", tools, "--add-source", feed, "TargetProfileUpdate.Cli", "--version", version);
        Assert.True(install.ExitCode == 0, install.ToString());
        string tool = Path.Combine(tools, "target-profile");
        Assert.True(File.Exists(tool), "the command is named target-profile");

        var fetch = await RunAsync(tool, "fetch", "--emulator", "--third-party-id", "demo-1", "--json");
        var update = await RunAsync(tool, "update", "--emulator", "--third-party-id", "demo-2", "--set", "tier=platinum");
        string csv = _files.PathOf("few.csv");
        File.WriteAllText(csv, "thirdPartyId,tier\nnew-1,gold\nnew-2,silver\n");
        var import = await RunAsync(tool, "import", csv, "--emulator", "--via", "bulk", "--wait", "--poll-interval", "1");
        var help = await RunAsync(tool, "--help");

        Assert.True(fetch.ExitCode == 0, fetch.ToString());
        using (var json = JsonDocument.Parse(fetch.Out))
        {
            Assert.Equal("gold", json.RootElement.GetProperty("attributes").GetProperty("loyaltyTier").GetProperty("value").GetString());
        }

        Assert.True(update.ExitCode == 0, update.ToString());
        Assert.Matches(@"Server answer +Request successfully submitted", update.Out);
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("successfulUpdates 2,", import.Out, StringComparison.Ordinal);
        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Contains("Usage:\n  target-profile [command] [options]", help.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_NamesTheCommandTargetProfile()
    {
        var result = await CliProcess.RunAsync(_files.Directory, "import", "--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("target-profile import <FILE> [options]", result.Out, StringComparison.Ordinal);
    }

    public void Dispose() => _files.Dispose();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TargetProfileUpdate.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (TargetProfileUpdate.sln) was not found.");
    }

    private static Task<CliResult> DotnetAsync(string workingDirectory, params string[] args) => RunAsync("dotnet", workingDirectory, args);

    private Task<CliResult> RunAsync(string tool, params string[] args) => RunAsync(tool, _files.Directory, args);

    private static async Task<CliResult> RunAsync(string fileName, string workingDirectory, string[] args)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        CliProcess.Sanitize(start.Environment);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CliResult(process.ExitCode, (await stdout).ReplaceLineEndings("\n"), await stderr);
    }
}
