using System.Xml.Linq;

namespace TargetProfileUpdate.PackageTests;

/// <summary>
/// The emulator as a package: a normal library (not a tool, so <c>dotnet add package</c> works), which a consumer's test
/// project references and starts in-process.
/// </summary>
[Trait("Category", "Slow")]
public sealed class EmulatorPackageTests : IClassFixture<PackageTests.PackedPackages>
{
    private readonly PackageTests.PackedPackages _packages;

    public EmulatorPackageTests(PackageTests.PackedPackages packages) => _packages = packages;

    [Fact]
    public void Nuspec_IsALibraryPackage_NotATool()
    {
        var (nuspec, entries) = _packages.Read("TargetProfileUpdate.Emulator");
        XNamespace ns = nuspec.Root!.Name.Namespace;

        Assert.Contains("lib/net10.0/TargetProfileUpdate.Emulator.dll", entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("tools/", StringComparison.Ordinal));
        Assert.DoesNotContain(nuspec.Descendants(ns + "packageType"), t => (string?)t.Attribute("name") == "DotnetTool");
        Assert.Contains(nuspec.Descendants(ns + "frameworkReference"), f => (string?)f.Attribute("name") == "Microsoft.AspNetCore.App");
        // The emulator speaks HTTP only; it used none of the SDK, so it no longer drags the SDK in (issue 18, dead code).
        Assert.DoesNotContain(nuspec.Descendants(ns + "dependency"), d => (string?)d.Attribute("id") == "TargetProfileUpdate");
    }

    [Fact]
    public async Task ConsumerTestProject_ReferencingThePackedEmulator_StartsItInProcess_AndSendsAnUpdateThroughTheSdk()
    {
        string dir = Directory.CreateTempSubdirectory("tpu-emulator-consumer-").FullName;
        string template = Path.Combine(PackageTests.PackedPackages.RepositoryRoot, "tests", "TargetProfileUpdate.PackageTests", "Consumer");
        File.WriteAllText(Path.Combine(dir, "EmulatorConsumer.csproj"), File.ReadAllText(Path.Combine(template, "EmulatorConsumer.csproj.template")));
        File.WriteAllText(Path.Combine(dir, "EmulatorConsumerTests.cs"), File.ReadAllText(Path.Combine(template, "EmulatorConsumerTests.cs.template")));
        _packages.WriteNuGetConfig(dir);

        var (exitCode, output) = await PackageTests.PackedPackages.DotnetAsync(
            dir, "test", "-c", "Release", $"-p:TargetProfileUpdateVersion={_packages.Version}", "--logger", "console;verbosity=detailed");

        // Exit code 0 means the consumer's tests passed; the marker proves its test ran (the summary line's wording
        // differs between test platforms and SDKs, so it is not matched).
        Assert.True(exitCode == 0, output);
        Assert.Contains("EMULATOR-CONSUMER ok", output, StringComparison.Ordinal);
    }
}
