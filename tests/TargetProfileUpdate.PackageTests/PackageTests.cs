using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Xml.Linq;
using TargetProfileUpdate.Emulator;
using TargetProfileUpdate.Redis.Tests.TestSupport;

namespace TargetProfileUpdate.PackageTests;

/// <summary>
/// What a backend team meets is the package. These tests pack the SDK, the Redis limits and the testing package (from the Release
/// build the test run already made), read their .nuspec, and build and run a consumer that references the packages,
/// not the projects, against the emulator and a real redis-server.
/// </summary>
public sealed class PackageTests : IClassFixture<PackageTests.PackedPackages>
{
    private readonly PackedPackages _packages;

    public PackageTests(PackedPackages packages) => _packages = packages;

    [Theory]
    [InlineData("TargetProfileUpdate")]
    [InlineData("TargetProfileUpdate.Testing")]
    [InlineData("TargetProfileUpdate.Redis")]
    public void Nuspec_CarriesCompleteMetadata(string id)
    {
        var (nuspec, entries) = _packages.Read(id);
        XNamespace ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        string Get(string name) => metadata.Element(ns + name)?.Value ?? string.Empty;

        Assert.Equal(id, Get("id"));
        Assert.Equal(_packages.Version, Get("version"));
        Assert.False(string.IsNullOrWhiteSpace(Get("description")));
        Assert.False(string.IsNullOrWhiteSpace(Get("authors")));
        Assert.Equal("MIT", Get("license"));
        Assert.StartsWith("https://", Get("projectUrl"), StringComparison.Ordinal);
        Assert.Contains("CHANGELOG", Get("releaseNotes"), StringComparison.Ordinal);
        Assert.Contains("adobe", Get("tags"), StringComparison.Ordinal);
        Assert.Equal("README.md", Get("readme"));
        Assert.Contains("README.md", entries);
        Assert.NotNull(metadata.Element(ns + "repository")?.Attribute("url"));
        Assert.Contains($"lib/net8.0/{id}.dll", entries);
        Assert.Contains($"lib/net10.0/{id}.dll", entries);
        Assert.Contains($"lib/net8.0/{id}.xml", entries);
        Assert.True(File.Exists(Path.Combine(_packages.Feed, $"{id}.{_packages.Version}.snupkg")), "symbol package");
        if (id == "TargetProfileUpdate")
        {
            // The [ProfileAttributes] source generator ships inside the package, as System.Text.Json's does.
            Assert.Contains("analyzers/dotnet/cs/TargetProfileUpdate.Generators.dll", entries);
            Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Generators", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Nuspec_DependenciesHaveFloorsAndNoAspNetCore()
    {
        var (nuspec, _) = _packages.Read("TargetProfileUpdate");
        var dependencies = nuspec.Descendants().Where(e => e.Name.LocalName == "dependency").ToList();
        var net8 = nuspec.Descendants().Single(e => e.Name.LocalName == "group" && (string?)e.Attribute("targetFramework") == "net8.0");

        Assert.DoesNotContain(dependencies, d => ((string)d.Attribute("id")!).StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.All(dependencies, d => Assert.DoesNotContain(",", (string)d.Attribute("version")!, StringComparison.Ordinal));
        Assert.Contains(net8.Elements(), d => (string?)d.Attribute("id") == "Microsoft.Extensions.Http" && ((string)d.Attribute("version")!).StartsWith("8.", StringComparison.Ordinal));
        Assert.Contains(net8.Elements(), d => (string?)d.Attribute("id") == "Polly.Core");
    }

    [Fact]
    public void Nuspec_RedisPackageDependsOnTheSdkAtTheSameVersionAndOnStackExchangeRedis()
    {
        var (nuspec, _) = _packages.Read("TargetProfileUpdate.Redis");
        foreach (string framework in new[] { "net8.0", "net10.0" })
        {
            var group = nuspec.Descendants().Single(e => e.Name.LocalName == "group" && (string?)e.Attribute("targetFramework") == framework);
            Assert.Contains(group.Elements(), d => (string?)d.Attribute("id") == "TargetProfileUpdate" && (string?)d.Attribute("version") == _packages.Version);
            Assert.Contains(group.Elements(), d => (string?)d.Attribute("id") == "StackExchange.Redis");
        }
    }

    [Fact]
    public async Task Consumer_ReferencingOnlyThePackages_SendsAnUpdateThroughRedisLimitsAndUnitTestsWithTheFake()
    {
        using var redis = new RedisServer();
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero });
        emulator.SeedProfile(thirdPartyId: "crm-pkg");
        string dir = Directory.CreateTempSubdirectory("tpu-consumer-").FullName;
        string template = Path.Combine(PackedPackages.RepositoryRoot, "tests", "TargetProfileUpdate.PackageTests", "Consumer");
        File.WriteAllText(Path.Combine(dir, "Consumer.csproj"), File.ReadAllText(Path.Combine(template, "Consumer.csproj.template")));
        File.WriteAllText(Path.Combine(dir, "Program.cs"), File.ReadAllText(Path.Combine(template, "Program.cs.template")));
        _packages.WriteNuGetConfig(dir);

        var (exitCode, output) = await PackedPackages.DotnetAsync(dir, "run", "-c", "Release", $"-p:TargetProfileUpdateVersion={_packages.Version}", "--", emulator.BaseAddress.ToString(), redis.ConnectionString);

        Assert.True(exitCode == 0, output);
        Assert.Contains("REAL GET Request successfully submitted", output, StringComparison.Ordinal);
        Assert.Contains("FAKE ok", output, StringComparison.Ordinal);
        Assert.Contains("SCHEMA lastStore,lastBasketValue", output, StringComparison.Ordinal);
        Assert.Contains("REDIS prefix=targetprofileupdate:demo: shared=True", output, StringComparison.Ordinal);
        var profile = emulator.FindByThirdPartyId("crm-pkg")!;
        Assert.Equal("Store 7", profile.Attributes["lastStore"].Value);
        Assert.Equal("12.50", profile.Attributes["lastBasketValue"].Value);
    }

    /// <summary>Packs once per test run, with a version of its own so a stale package cache is never used.</summary>
    public sealed class PackedPackages
    {
        public PackedPackages()
        {
            Version = "0.1.0-pkgtest." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
            Feed = Directory.CreateTempSubdirectory("tpu-feed-").FullName;
            foreach (string project in new[] { "src/TargetProfileUpdate/TargetProfileUpdate.csproj", "src/TargetProfileUpdate.Testing/TargetProfileUpdate.Testing.csproj", "src/TargetProfileUpdate.Redis/TargetProfileUpdate.Redis.csproj", "src/TargetProfileUpdate.Emulator/TargetProfileUpdate.Emulator.csproj" })
            {
                var (exitCode, output) = DotnetAsync(RepositoryRoot, "pack", project, "-c", "Release", "--no-build", "-o", Feed, $"-p:PackageVersion={Version}").GetAwaiter().GetResult();
                if (exitCode != 0)
                {
                    throw new InvalidOperationException("dotnet pack failed:\n" + output);
                }
            }
        }

        public static string RepositoryRoot { get; } = FindRoot();

        public string Version { get; }

        public string Feed { get; }

        /// <summary>Writes a nuget.config into a consumer's folder whose only source is the packed local feed.</summary>
        public void WriteNuGetConfig(string directory) =>
            File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="local-feed" value="{Feed}" />
                  </packageSources>
                </configuration>
                """);

        public (XDocument Nuspec, HashSet<string> Entries) Read(string id)
        {
            using var zip = ZipFile.OpenRead(Path.Combine(Feed, $"{id}.{Version}.nupkg"));
            var nuspecEntry = zip.Entries.Single(e => e.FullName == id + ".nuspec");
            using var stream = nuspecEntry.Open();
            return (XDocument.Load(stream), zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal));
        }

        public static async Task<(int ExitCode, string Output)> DotnetAsync(string workingDirectory, params string[] arguments)
        {
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            await process.WaitForExitAsync(bound.Token);
            return (process.ExitCode, await stdout + await stderr);
        }

        private static string FindRoot()
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
    }
}

/// <summary>The SDK in a Native AOT application: publishes with every trim/AOT warning as an error, then runs against the emulator.</summary>
public sealed class AotSmokeTests
{
    [Fact]
    public async Task AotPublishedApp_SendsAnUpdateToTheEmulator()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        emulator.SeedProfile(thirdPartyId: "crm-aot");
        string output = Directory.CreateTempSubdirectory("tpu-aot-").FullName;
        string project = Path.Combine(PackageTests.PackedPackages.RepositoryRoot, "tests", "TargetProfileUpdate.AotSmoke", "TargetProfileUpdate.AotSmoke.csproj");

        var (publishCode, publishOutput) = await PackageTests.PackedPackages.DotnetAsync(
            PackageTests.PackedPackages.RepositoryRoot, "publish", project, "-c", "Release", "-r", "linux-x64", "-o", output);
        Assert.True(publishCode == 0, publishOutput);

        var start = new ProcessStartInfo(Path.Combine(output, "TargetProfileUpdate.AotSmoke")) { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(emulator.BaseAddress.ToString());
        using var app = Process.Start(start)!;
        string text = await app.StandardOutput.ReadToEndAsync();
        await app.WaitForExitAsync();

        Assert.Equal(0, app.ExitCode);
        Assert.Contains("AOT GET Request successfully submitted", text, StringComparison.Ordinal);
        Assert.Contains("FAKE 1", text, StringComparison.Ordinal);
        Assert.Contains("FETCH native", text, StringComparison.Ordinal);
        Assert.Contains("BULK 1 1", text, StringComparison.Ordinal);
        Assert.Contains("SCHEMA GET gold 3 Gold", text, StringComparison.Ordinal);
        Assert.Equal("1234.50", emulator.FindByThirdPartyId("crm-aot")!.Attributes["lifetimeValue"].Value);
        Assert.Equal("Zürich 東京", emulator.FindByThirdPartyId("crm-aot")!.Attributes["ünïcode"].Value);
    }
}
