using System.Text.Json;

namespace TargetProfileUpdate.Cli.Tests;

[Trait("Category", "Slow")]
public sealed class FetchAndUpdateTests : IDisposable
{
    private readonly TestFiles _files = new();

    [Fact]
    public async Task Fetch_PrintsATableOfAttributesWithModificationTimes()
    {
        await using var emulator = await TestFiles.StartEmulatorAsync(0);
        emulator.SeedProfile(pcId: "pc-7", thirdPartyId: "crm-7", attributes: new Dictionary<string, string> { ["loyaltyTier"] = "gold", ["city"] = "Zürich, CH" });

        var result = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "fetch", "--third-party-id", "crm-7"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        string modified = emulator.FindByThirdPartyId("crm-7")!.Attributes["city"].ModifiedAt.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Matches(@"│ city +│ Zürich, CH +│ " + modified, result.Out);
        Assert.Matches(@"│ loyaltyTier +│ gold +│ ", result.Out);
        Assert.Contains("2 attribute(s)", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_Json_PrintsTheProfileAsJson()
    {
        await using var emulator = await TestFiles.StartEmulatorAsync(0);
        emulator.SeedProfile(pcId: "pc-8", thirdPartyId: "crm-8", attributes: new Dictionary<string, string> { ["city"] = "Zürich, \"CH\"" });

        var result = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "fetch", "--pc-id", "pc-8", "--json"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        var city = json.RootElement.GetProperty("attributes").GetProperty("city");
        Assert.Equal("Zürich, \"CH\"", city.GetProperty("value").GetString());
        var modified = emulator.FindByPcId("pc-8")!.Attributes["city"].ModifiedAt;
        Assert.Equal(modified.AddTicks(-(modified.Ticks % TimeSpan.TicksPerMillisecond)), city.GetProperty("modifiedAt").GetDateTimeOffset()); // the API answers in milliseconds
    }

    [Fact]
    public async Task Fetch_WhenNotFound_SaysSo_AndExits3()
    {
        await using var emulator = await TestFiles.StartEmulatorAsync(0);

        var result = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "fetch", "--third-party-id", "nobody-42"]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("no profile found", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("nobody-42", result.Error + result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_PrintsMethodAttemptsAndAnswer_AndTheProfileChanges()
    {
        await using var emulator = await TestFiles.StartEmulatorAsync(1);

        var result = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "update", "--third-party-id", TestFiles.Id(0), "--set", "tier=a=b & c", "--set", "city=Zürich"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"Method +GET", result.Out);
        Assert.Matches(@"Attempts +1", result.Out);
        Assert.Matches(@"Server answer +Request successfully submitted", result.Out);
        var profile = emulator.FindByThirdPartyId(TestFiles.Id(0))!;
        Assert.Equal("a=b & c", profile.Attributes["tier"].Value);
        Assert.Equal("Zürich", profile.Attributes["city"].Value);
    }

    [Fact]
    public async Task Update_WhenRejected_PrintsTheReason_AndExits1()
    {
        await using var emulator = await TestFiles.StartEmulatorAsync(1);
        emulator.InjectFaults(TargetProfileUpdate.Emulator.EmulatorFault.FalseBody());

        var result = await CliProcess.RunAsync(_files.Directory, [.. TestFiles.Target(emulator), "update", "--pc-id", "pc-0", "--set", "tier=x"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not accepted", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Emulator_Option_RunsTheCommandOffline_AgainstDemoProfiles()
    {
        var result = await CliProcess.RunAsync(_files.Directory, ["fetch", "--emulator", "--third-party-id", "demo-1", "--json"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal("gold", json.RootElement.GetProperty("attributes").GetProperty("loyaltyTier").GetProperty("value").GetString());
    }

    public void Dispose() => _files.Dispose();
}
