using Microsoft.Extensions.DependencyInjection;
using TargetProfileUpdate.Emulator;
using TargetProfileUpdate.IntegrationTests.Authentication;

namespace TargetProfileUpdate.IntegrationTests.Contract;

/// <summary>
/// The tenant's attribute catalog (issue #22 item 3) against the emulator's Admin API with the IMS flow on, on a fake clock:
/// cached for its TTL (one IMS call and one catalog call for 1,000 lookups), a typo gets the tenant's name as a suggestion,
/// and an answer of an unknown shape is an empty catalog, never an error.
/// </summary>
public sealed class AttributeCatalogIntegrationTests
{
    private static int CatalogRequests(ImsRig rig) =>
        rig.Emulator.GetRequests().Count(r => r.Path == "/" + ImsRig.Tenant + "/target/profileattributes/mbox");

    [Fact]
    public async Task GetAttributeNamesAsync_1000LookupsWithinTheTtl_CostOneImsCallAndOneCatalogCall()
    {
        await using var rig = await ImsRig.StartAsync();
        rig.Emulator.SeedProfile(thirdPartyId: "crm-1", attributes: new Dictionary<string, string> { ["loyaltyTier"] = "gold", ["country"] = "FR" });
        var catalog = rig.Services.GetRequiredService<IProfileAttributeCatalog>();

        var all = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => catalog.GetAttributeNamesAsync()));

        Assert.Equal(1, rig.Emulator.ImsTokenRequests);
        Assert.Equal(1, CatalogRequests(rig));
        Assert.Equal(0, rig.Emulator.AdminTokenRequests); // the catalog needs the IMS token only, not the profile token
        Assert.All(all, names => Assert.Equal(["country", "loyaltyTier"], names.Order(StringComparer.Ordinal)));
        var request = rig.Emulator.GetRequests().Single(r => r.Path.EndsWith("/profileattributes/mbox", StringComparison.Ordinal));
        Assert.Equal("GET", request.Method);
        Assert.Equal("Bearer ***", request.Headers["Authorization"]);
        Assert.Equal("***", request.Headers["X-Api-Key"]);
        Assert.Equal("application/vnd.adobe.target.v1+json", request.Headers["Accept"]);

        // Within the TTL (15 minutes by default) nothing more is asked; after it, the catalog once more (the IMS token is still fresh),
        // and a name written since then by an update is listed.
        rig.Emulator.SeedProfile(thirdPartyId: "crm-2");
        await rig.Client.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-2").Set("favoriteColor", "blue"));
        rig.Time.Advance(TimeSpan.FromMinutes(14));
        var cached = await catalog.GetAttributeNamesAsync();
        rig.Time.Advance(TimeSpan.FromMinutes(2));
        var refreshed = await catalog.GetAttributeNamesAsync();

        Assert.DoesNotContain("favoriteColor", cached);
        Assert.Contains("favoriteColor", refreshed);
        Assert.Equal(2, CatalogRequests(rig));
        Assert.Equal(1, rig.Emulator.ImsTokenRequests);
    }

    [Fact]
    public async Task Catalog_GivenToTheLinter_FlagsATypoWithTheTenantsName()
    {
        await using var rig = await ImsRig.StartAsync();
        rig.Emulator.SeedProfile(thirdPartyId: "crm-1", attributes: new Dictionary<string, string> { ["loyaltyTier"] = "gold" });
        var names = await rig.Services.GetRequiredService<IProfileAttributeCatalog>().GetAttributeNamesAsync();
        var linter = new ProfileAttributeLinter(ProfileLintMode.Warn, null, names);

        var finding = Assert.Single(linter.Lint(ProfileUpdate.ForThirdPartyId("crm-1").Set("loyaltytier", "silver")));

        Assert.Equal("TPU104", finding.RuleId);
        Assert.Equal("loyaltytier", finding.AttributeName);
        Assert.EndsWith("did you mean `loyaltyTier`?", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"total\":2,\"note\":\"a shape nobody documented\"}", "")]
    [InlineData("<html><body>maintenance</body></html>", "")]
    [InlineData("{\"data\":{\"attributes\":[{\"name\":\"loyaltyTier\",\"type\":\"string\"},{\"name\":\"profile.country\"}]}}", "country,loyaltyTier")]
    public async Task GetAttributeNamesAsync_AnswerOfAnotherShape_IsReadLenientlyAndNeverFails(string body, string expected)
    {
        await using var rig = await ImsRig.StartAsync();
        rig.Emulator.InjectFaults(new EmulatorFault { Kind = EmulatorFaultKind.Body, Body = body, ContentType = "application/json" }.For(EmulatorFaultTarget.ProfileAttributes));
        var names = await rig.Services.GetRequiredService<IProfileAttributeCatalog>().GetAttributeNamesAsync();
        var linter = new ProfileAttributeLinter(ProfileLintMode.Warn, null, names);

        Assert.Equal(expected, string.Join(",", names.Order(StringComparer.Ordinal)));
        Assert.Equal(1, CatalogRequests(rig));
        if (names.Count == 0)
        {
            // An empty catalog cannot tell a typo from a new name: the catalog rule is skipped.
            Assert.Empty(linter.Lint(ProfileUpdate.ForThirdPartyId("crm-1").Set("loyaltytier", "silver")));
        }
    }
}
