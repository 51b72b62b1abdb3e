namespace TargetProfileUpdate.Testing.Tests;

public sealed class FakeAttributeCatalogTests
{
    [Fact]
    public async Task GetAttributeNamesAsync_ListsSeededStoredAndAddedNames_LikeTheEmulator()
    {
        var fake = new FakeProfileUpdateClient()
            .Seed(ProfileId.FromThirdPartyId("crm-1"), new Dictionary<string, string> { ["since"] = "2019" })
            .AddCatalogNames("country");
        var catalog = Assert.IsAssignableFrom<IProfileAttributeCatalog>(fake);

        await fake.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-2").Set("loyaltyTier", "gold"));

        Assert.Equal(["country", "loyaltyTier", "since"], (await catalog.GetAttributeNamesAsync()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Catalog_GivenToTheLinter_SuggestsTheKnownName()
    {
        var fake = new FakeProfileUpdateClient().AddCatalogNames("loyaltyTier");
        var linter = new ProfileAttributeLinter(ProfileLintMode.Warn, null, await fake.GetAttributeNamesAsync());

        var finding = Assert.Single(linter.Lint(ProfileUpdate.ForPcId("pc").Set("loyaltytier", "gold")));

        Assert.Equal("TPU104", finding.RuleId);
        Assert.EndsWith("did you mean `loyaltyTier`?", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAttributeNamesAsync_CanceledToken_IsCanceled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new FakeProfileUpdateClient().GetAttributeNamesAsync(cts.Token));
    }
}
