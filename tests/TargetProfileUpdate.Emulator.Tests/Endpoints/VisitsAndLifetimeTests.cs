using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TargetProfileUpdate.Emulator.Tests.TestSupport;

namespace TargetProfileUpdate.Emulator.Tests.Endpoints;

/// <summary>Profiles are created by visits (available after the creation delay) and expire after their lifetime without activity.</summary>
public sealed class VisitsAndLifetimeTests
{
    private const string FetchCrm1 = "rest/v1/profiles/thirdPartyId/crm-1?client=demo";

    [Fact]
    public async Task Visit_CreatesAProfile_ThatTheProfileApisSeeOnlyAfterTheCreationDelay()
    {
        var clock = Wire.Clock();
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { TimeProvider = clock, ProfileCreationDelay = TimeSpan.FromMinutes(40), PropagationDelay = TimeSpan.Zero });
        using var http = Wire.Client(emulator);

        using var visit = await http.PostAsJsonAsync("_emulator/visits", new { thirdPartyId = "crm-1" });
        Assert.Equal(201, (int)visit.StatusCode);
        var answer = JsonNode.Parse(await visit.Content.ReadAsStringAsync())!;
        Assert.True(answer["createdProfile"]!.GetValue<bool>());
        Assert.Equal(Wire.Start + TimeSpan.FromMinutes(40), answer["visibleAt"]!.GetValue<DateTimeOffset>());

        Assert.Equal(404, (await Wire.FetchAsync(http, FetchCrm1)).Status);
        Assert.Equal(200, (await Wire.UpdateAsync(http, "crm-1", token: null)).Status);
        Assert.Equal("dropped-unknown-profile", emulator.GetRequests()[^1].Outcome);

        clock.Advance(TimeSpan.FromMinutes(40));

        Assert.Equal(200, (await Wire.FetchAsync(http, FetchCrm1)).Status);
        Assert.Equal(200, (await Wire.UpdateAsync(http, "crm-1", token: null)).Status);
        Assert.Equal("applied", emulator.GetRequests()[^1].Outcome);
        Assert.Equal("1", emulator.FindByThirdPartyId("crm-1")!.Attributes["a"].Value);
    }

    [Fact]
    public async Task Visit_InProcess_ToAnExistingProfile_CreatesNothingAndKeepsItVisible()
    {
        var clock = Wire.Clock();
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { TimeProvider = clock });
        emulator.SeedProfile(new ProfileSeed { ThirdPartyId = "crm-1", PcId = "pc-1" });

        var visit = emulator.Visit(new ProfileSeed { ThirdPartyId = "crm-1" });

        Assert.Equal(new EmulatedVisit("pc-1", "crm-1", null, CreatedProfile: false, Wire.Start), visit);
        Assert.NotNull(emulator.FindByThirdPartyId("crm-1"));
    }

    [Fact]
    public async Task Profile_AfterItsLifetimeWithoutActivity_FetchesAs404_AndDropsUpdates()
    {
        var clock = Wire.Clock();
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { TimeProvider = clock, PropagationDelay = TimeSpan.Zero });
        emulator.SeedProfile(thirdPartyId: "crm-1");
        using var http = Wire.Client(emulator);

        clock.Advance(TimeSpan.FromDays(14) - TimeSpan.FromSeconds(1));
        Assert.Equal(200, (await Wire.FetchAsync(http, FetchCrm1)).Status);

        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(404, (await Wire.FetchAsync(http, FetchCrm1)).Status);
        Assert.Equal(200, (await Wire.UpdateAsync(http, "crm-1", token: null)).Status);
        Assert.Equal("dropped-unknown-profile", emulator.GetRequests()[^1].Outcome);
        Assert.Empty(emulator.GetProfiles());
    }

    [Fact]
    public async Task Profile_VisitedWithinItsLifetime_LivesAnotherLifetime_ButSingleUpdatesDoNotKeepItAlive()
    {
        var clock = Wire.Clock();
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { TimeProvider = clock, ProfileLifetime = TimeSpan.FromDays(3), PropagationDelay = TimeSpan.Zero });
        emulator.SeedProfile(thirdPartyId: "crm-1");
        emulator.SeedProfile(thirdPartyId: "crm-2");
        using var http = Wire.Client(emulator);

        clock.Advance(TimeSpan.FromDays(2));
        emulator.Visit(new ProfileSeed { ThirdPartyId = "crm-1" });
        await Wire.UpdateAsync(http, "crm-2", token: null);
        clock.Advance(TimeSpan.FromDays(2));

        Assert.NotNull(emulator.FindByThirdPartyId("crm-1"));
        Assert.Null(emulator.FindByThirdPartyId("crm-2"));
    }

    [Fact]
    public async Task Visit_AfterExpiry_CreatesAFreshProfileWithoutTheOldAttributes()
    {
        var clock = Wire.Clock();
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { TimeProvider = clock, ProfileCreationDelay = TimeSpan.Zero });
        emulator.SeedProfile(thirdPartyId: "crm-1", attributes: new Dictionary<string, string> { ["tier"] = "gold" });
        clock.Advance(TimeSpan.FromDays(15));

        var visit = emulator.Visit(new ProfileSeed { ThirdPartyId = "crm-1" });

        Assert.True(visit.CreatedProfile);
        Assert.Empty(emulator.FindByThirdPartyId("crm-1")!.Attributes);
    }

    [Fact]
    public async Task BulkV2_StillCreatesProfiles_AndV1StillOnlyUpdates()
    {
        var clock = Wire.Clock();
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { TimeProvider = clock, BatchProcessingDelay = TimeSpan.Zero, PropagationDelay = TimeSpan.Zero });
        using var http = Wire.Client(emulator);

        await Wire.BatchUpdateAsync(http, "thirdPartyId,tier\nnew-1,gold", version: 2);
        await Wire.BatchUpdateAsync(http, "thirdPartyId,tier\nnew-2,gold", version: 1);

        Assert.Equal("gold", emulator.FindByThirdPartyId("new-1")!.Attributes["tier"].Value);
        Assert.Null(emulator.FindByThirdPartyId("new-2"));
    }

    [Fact]
    public async Task Visits_WithoutAnId_Answers400()
    {
        await using var emulator = await TargetEmulator.StartAsync();
        using var http = Wire.Client(emulator);

        using var response = await http.PostAsJsonAsync("_emulator/visits", new { attributes = new { a = "1" } });

        Assert.Equal(400, (int)response.StatusCode);
    }
}
