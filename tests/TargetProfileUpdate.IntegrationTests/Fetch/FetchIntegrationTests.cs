using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TargetProfileUpdate.Emulator;

namespace TargetProfileUpdate.IntegrationTests.Fetch;

/// <summary>Update, then read back through <see cref="IProfileFetchClient"/>, against the emulator over real loopback HTTP.</summary>
public sealed class FetchIntegrationTests
{
    private const string PcId = "1368007744041-575948.01_00";
    private const string ThirdPartyId = "crm 1/ü?#%+";
    private const string Ecid = "65453743417542776491447190463917247418";

    public static TheoryData<string> OddIds => new() { "a/b", "a?b=c", "a#b", "100%", "%2F", "jane doe", "a+b", "café", "東京", "😀", "AZaz09-._~", "a&b;c,d:e@f" };

    private static ServiceProvider Services(TargetEmulator emulator, Action<TargetProfileUpdateOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(o =>
        {
            o.ClientCode = emulator.ClientCode;
            o.BaseAddress = emulator.BaseAddress;
            o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(10);
            o.Resilience.MaxDelay = TimeSpan.FromMilliseconds(50);
            configure?.Invoke(o);
        });
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// Regression: with Adobe's documented answer (<c>"visitorId"</c> a string, the emulator's default) the SDK gave null
    /// <see cref="TargetProfile.PcId"/> and <see cref="TargetProfile.ThirdPartyId"/>; it read ids only from the object shape.
    /// </summary>
    [Fact]
    public async Task Fetch_DocumentedStringVisitorId_GivesThePcIdAndTheAskedForId()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero });
        emulator.SeedProfile(new ProfileSeed { PcId = PcId, ThirdPartyId = ThirdPartyId, MarketingCloudVisitorId = Ecid, Attributes = { ["tier"] = "silver" } });
        using var services = Services(emulator);
        var fetch = services.GetRequiredService<IProfileFetchClient>();

        var byThirdParty = await fetch.GetProfileAsync(ProfileId.FromThirdPartyId(ThirdPartyId));
        var byEcid = await fetch.GetProfileAsync(ProfileId.FromMarketingCloudVisitorId(Ecid));

        Assert.NotNull(byThirdParty);
        Assert.Equal(PcId, byThirdParty.PcId);
        Assert.Equal(PcId, byThirdParty.VisitorId);
        Assert.Equal(ThirdPartyId, byThirdParty.ThirdPartyId);
        Assert.NotNull(byEcid);
        Assert.Equal(PcId, byEcid.PcId);
    }

    [Fact]
    public async Task UpdateThenFetch_ShowsTheUpdateOnlyAfterThePropagationDelay_ForAllThreeIdKinds()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { BatchProcessingDelay = TimeSpan.Zero, PropagationDelay = TimeSpan.FromHours(1), TimeProvider = time, FetchVisitorIdAsObject = true });
        emulator.SeedProfile(new ProfileSeed { PcId = PcId, ThirdPartyId = ThirdPartyId, MarketingCloudVisitorId = Ecid, Attributes = { ["tier"] = "silver" } });
        using var services = Services(emulator);
        var fetch = services.GetRequiredService<IProfileFetchClient>();
        var update = services.GetRequiredService<IProfileUpdateClient>();

        await update.UpdateAsync(ProfileUpdate.ForThirdPartyId(ThirdPartyId).Set("tier", "gold").Set("user.memberlevel", "platinum"));
        var before = await fetch.GetProfileAsync(ProfileId.FromThirdPartyId(ThirdPartyId));
        time.Advance(TimeSpan.FromHours(1));
        ProfileId[] ids = [ProfileId.FromPcId(PcId), ProfileId.FromThirdPartyId(ThirdPartyId), ProfileId.FromMarketingCloudVisitorId(Ecid)];
        var after = new List<TargetProfile>();
        foreach (var id in ids)
        {
            after.Add((await fetch.GetProfileAsync(id))!);
        }

        Assert.NotNull(before);
        Assert.Equal("silver", before.Attributes["tier"].Value);
        Assert.False(before.Attributes.ContainsKey("user.memberlevel"));
        for (int i = 0; i < ids.Length; i++)
        {
            var profile = after[i];
            Assert.NotNull(profile);
            Assert.Same(ids[i], profile.Id);
            Assert.Equal(PcId, profile.PcId);
            Assert.Equal(ThirdPartyId, profile.ThirdPartyId);
            Assert.Equal("gold", profile.Attributes["tier"].Value);
            Assert.Equal("platinum", profile.Attributes["user.memberlevel"].Value);
            Assert.NotNull(profile.Attributes["tier"].ModifiedAt);
        }

        Assert.Equal(
            [
                "/rest/v1/profiles/" + PcId,
                "/rest/v1/profiles/thirdPartyId/" + Uri.EscapeDataString(ThirdPartyId),
                "/rest/v1/profiles/marketingCloudVisitorId/" + Ecid,
            ],
            emulator.GetRequests().Where(r => r.Method == "GET" && r.Path.StartsWith("/rest/", StringComparison.Ordinal)).Skip(1).Select(r => r.Path));
    }

    [Fact]
    public async Task Fetch_LegacyShape_ReadsTheSameProfile()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, LegacyFetchShape = true });
        emulator.SeedProfile(new ProfileSeed { PcId = PcId, ThirdPartyId = "crm-1", Attributes = { ["tier"] = "gold" } });
        using var services = Services(emulator);

        var profile = await services.GetRequiredService<IProfileFetchClient>().GetProfileAsync(ProfileId.FromThirdPartyId("crm-1"));

        Assert.NotNull(profile);
        Assert.Equal(PcId, profile.PcId);
        Assert.Equal("crm-1", profile.ThirdPartyId);
        Assert.Equal("gold", profile.Attributes["tier"].Value);
        Assert.Equal(TimeSpan.Zero, profile.Attributes["tier"].ModifiedAt!.Value.Offset);
    }

    [Theory]
    [MemberData(nameof(OddIds))]
    public async Task Fetch_OddIds_RoundTripForEveryIdKind(string id)
    {
        // The ids come back only in the (undocumented) object shape of visitorId.
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, FetchVisitorIdAsObject = true });
        emulator.SeedProfile(new ProfileSeed { PcId = id, Attributes = { ["kind"] = "pc" } });
        emulator.SeedProfile(new ProfileSeed { ThirdPartyId = id, Attributes = { ["kind"] = "third-party" } });
        emulator.SeedProfile(new ProfileSeed { MarketingCloudVisitorId = id, Attributes = { ["kind"] = "ecid" } });
        using var services = Services(emulator);
        var fetch = services.GetRequiredService<IProfileFetchClient>();

        var byPc = await fetch.GetProfileAsync(ProfileId.FromPcId(id));
        var byThirdParty = await fetch.GetProfileAsync(ProfileId.FromThirdPartyId(id));
        var byEcid = await fetch.GetProfileAsync(ProfileId.FromMarketingCloudVisitorId(id));

        Assert.Equal("pc", byPc?.Attributes["kind"].Value);
        Assert.Equal(id, byPc!.PcId);
        Assert.Equal("third-party", byThirdParty?.Attributes["kind"].Value);
        Assert.Equal(id, byThirdParty!.ThirdPartyId);
        Assert.Equal("ecid", byEcid?.Attributes["kind"].Value);
    }

    [Fact]
    public async Task Fetch_UnknownProfile_ReturnsNullForEveryIdKind()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero });
        emulator.SeedProfile(thirdPartyId: "crm-1");
        using var services = Services(emulator);
        var fetch = services.GetRequiredService<IProfileFetchClient>();

        Assert.Null(await fetch.GetProfileAsync(ProfileId.FromPcId("nobody")));
        Assert.Null(await fetch.GetProfileAsync(ProfileId.FromThirdPartyId("nobody")));
        Assert.Null(await fetch.GetProfileAsync(ProfileId.FromMarketingCloudVisitorId("nobody")));
        Assert.Equal(3, emulator.GetRequests().Count(r => r.StatusCode == 404));
    }

    [Fact]
    public async Task Fetch_WithoutTheRequiredToken_Throws403_AndWithItSucceeds()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, AuthorizationToken = "tok-123" });
        emulator.SeedProfile(thirdPartyId: "crm-1", attributes: new Dictionary<string, string> { ["tier"] = "gold" });
        using var anonymous = Services(emulator);
        using var authorized = Services(emulator, o => o.AuthorizationToken = "tok-123");
        var id = ProfileId.FromThirdPartyId("crm-1");

        var ex = await Assert.ThrowsAsync<ProfileApiAuthenticationException>(() => anonymous.GetRequiredService<IProfileFetchClient>().GetProfileAsync(id));
        var profile = await authorized.GetRequiredService<IProfileFetchClient>().GetProfileAsync(id);

        Assert.Equal(403, ex.StatusCode);
        Assert.Equal(AuthenticationStep.ProfileEndpoint, ex.Step);
        Assert.Equal("gold", profile!.Attributes["tier"].Value);
    }
}
