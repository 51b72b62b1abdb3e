using Microsoft.Extensions.Time.Testing;

namespace TargetProfileUpdate.Testing.Tests;

/// <summary>Issue 11: the fake as an <see cref="IProfileFetchClient"/> — seeded profiles merged with the updates it accepted.</summary>
public sealed class FakeProfileFetchTests
{
    private static readonly ProfileId Alice = ProfileId.FromThirdPartyId("alice");
    private static readonly ProfileId Bob = ProfileId.FromThirdPartyId("bob");

    [Fact]
    public async Task GetProfileAsync_UnknownProfile_ReturnsNull()
    {
        var fake = new FakeProfileUpdateClient().Seed(Alice, new Dictionary<string, string> { ["tier"] = "gold" });

        Assert.Null(await fake.GetProfileAsync(Bob));
    }

    [Fact]
    public async Task GetProfileAsync_SeededProfile_ReturnsItsAttributesUnderTheIdAskedFor()
    {
        var fake = new FakeProfileUpdateClient().Seed(Alice, new Dictionary<string, string> { ["tier"] = "gold", ["user.memberlevel"] = "2" });

        var profile = await fake.GetProfileAsync(ProfileId.FromThirdPartyId("alice"));

        Assert.NotNull(profile);
        Assert.Equal(Alice, profile.Id);
        Assert.Equal(["tier", "user.memberlevel"], profile.Attributes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("gold", profile.Attributes["tier"].Value);
        Assert.Equal("2", profile.Attributes["user.memberlevel"].Value);
        Assert.Null(profile.Attributes["tier"].ModifiedAt);
        Assert.Null(profile.ModifiedAt);
        Assert.Null(profile.VisitorId);
        Assert.Null(profile.ThirdPartyId);
        Assert.Null(profile.PcId);
    }

    [Fact]
    public async Task GetProfileAsync_ReturnsTheSeedMergedWithTheAcceptedUpdatesInOrder()
    {
        var fake = new FakeProfileUpdateClient().Seed(Alice, new Dictionary<string, string> { ["a"] = "seed-a", ["b"] = "seed-b" });

        await fake.UpdateAsync(new ProfileUpdate(Alice).Set("b", "update-1").Set("c", "update-1"));
        await fake.UpdateAsync(new ProfileUpdate(Alice).Set("c", "update-2"));

        var attributes = (await fake.GetProfileAsync(Alice))!.Attributes;
        Assert.Equal(3, attributes.Count);
        Assert.Equal("seed-a", attributes["a"].Value);
        Assert.Equal("update-1", attributes["b"].Value);
        Assert.Equal("update-2", attributes["c"].Value);
    }

    [Fact]
    public async Task GetProfileAsync_AttributeNamesAreCaseSensitive()
    {
        var fake = new FakeProfileUpdateClient().Seed(Alice, new Dictionary<string, string> { ["tier"] = "gold" });

        await fake.UpdateAsync(new ProfileUpdate(Alice).Set("Tier", "silver"));

        var attributes = (await fake.GetProfileAsync(Alice))!.Attributes;
        Assert.Equal("gold", attributes["tier"].Value);
        Assert.Equal("silver", attributes["Tier"].Value);
    }

    [Fact]
    public async Task GetProfileAsync_ByDefault_AnAcceptedUpdateCreatesTheProfile()
    {
        var fake = new FakeProfileUpdateClient();

        await fake.UpdateAsync(new ProfileUpdate(Bob).Set("tier", "silver"));

        Assert.Equal("silver", (await fake.GetProfileAsync(Bob))!.Attributes["tier"].Value);
        Assert.Empty(fake.DroppedUpdates);
    }

    [Fact]
    public async Task GetProfileAsync_AFailedUpdate_IsNotMerged()
    {
        var fake = new FakeProfileUpdateClient()
            .Seed(Alice, new Dictionary<string, string> { ["tier"] = "gold" })
            .FailNext(1, new ProfileApiException("HTTP 503", 503, null, 4, isTransient: true));

        await Assert.ThrowsAsync<ProfileApiException>(() => fake.UpdateAsync(new ProfileUpdate(Alice).Set("tier", "platinum")));
        await Assert.ThrowsAsync<ProfileApiException>(() => fake.FailFor(Bob, new ProfileApiException("HTTP 400", 400, null, 1, false)).UpdateAsync(new ProfileUpdate(Bob).Set("tier", "x")));

        Assert.Equal("gold", (await fake.GetProfileAsync(Alice))!.Attributes["tier"].Value);
        Assert.Null(await fake.GetProfileAsync(Bob));
    }

    [Fact]
    public async Task GetProfileAsync_WithATimeProvider_StampsEachAttributeWhenItWasSetAndTheProfileWithTheLastChange()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
        var fake = new FakeProfileUpdateClient(time).Seed(Alice, new Dictionary<string, string> { ["a"] = "1", ["b"] = "1" });
        var seededAt = time.GetUtcNow();
        time.Advance(TimeSpan.FromMinutes(5));

        await fake.UpdateAsync(new ProfileUpdate(Alice).Set("b", "2"));
        time.Advance(TimeSpan.FromMinutes(5));

        var profile = (await fake.GetProfileAsync(Alice))!;
        Assert.Equal(seededAt, profile.Attributes["a"].ModifiedAt);
        Assert.Equal(seededAt.AddMinutes(5), profile.Attributes["b"].ModifiedAt);
        Assert.Equal(seededAt.AddMinutes(5), profile.ModifiedAt);
    }

    [Fact]
    public async Task GetProfileAsync_ReturnsASnapshot_LaterUpdatesDoNotChangeIt()
    {
        var fake = new FakeProfileUpdateClient().Seed(Alice, new Dictionary<string, string> { ["tier"] = "gold" });
        var before = (await fake.GetProfileAsync(Alice))!;

        await fake.UpdateAsync(new ProfileUpdate(Alice).Set("tier", "platinum").Set("extra", "1"));

        Assert.Equal("gold", before.Attributes["tier"].Value);
        Assert.Single(before.Attributes);
    }

    [Fact]
    public async Task GetProfileAsync_EachIdKindIsItsOwnProfile()
    {
        var fake = new FakeProfileUpdateClient().Seed(ProfileId.FromThirdPartyId("same"), new Dictionary<string, string> { ["kind"] = "3p" });

        Assert.Null(await fake.GetProfileAsync(ProfileId.FromPcId("same")));
        Assert.Null(await fake.GetProfileAsync(ProfileId.FromMarketingCloudVisitorId("same")));
        Assert.Null(await fake.GetProfileAsync(ProfileId.FromThirdPartyId("SAME")));
    }

    [Fact]
    public async Task GetProfileAsync_ProfileSeededUnderAnEcid_IsFetchedByThatEcid()
    {
        var ecid = ProfileId.FromMarketingCloudVisitorId("12345678901234567890123456789012345678");
        var fake = new FakeProfileUpdateClient().Seed(ecid, new Dictionary<string, string> { ["segment"] = "commuter" });

        var profile = await fake.GetProfileAsync(ProfileId.FromMarketingCloudVisitorId("12345678901234567890123456789012345678"));

        Assert.Equal(ecid, profile!.Id);
        Assert.Equal("commuter", profile.Attributes["segment"].Value);
    }

    [Fact]
    public void ProfileUpdate_ForAnEcid_CannotBeBuiltSoTheFakeNeverSeesOne()
    {
        var ecid = ProfileId.FromMarketingCloudVisitorId("12345678901234567890123456789012345678");

        Assert.Throws<ArgumentException>(() => new ProfileUpdate(ecid));
    }

    [Fact]
    public async Task Seed_ExistingProfile_SetsTheGivenAttributesAndKeepsTheOthers()
    {
        var fake = new FakeProfileUpdateClient()
            .Seed(Alice, new Dictionary<string, string> { ["a"] = "1", ["b"] = "1" })
            .Seed(Alice, new Dictionary<string, string> { ["b"] = "2" });

        var attributes = (await fake.GetProfileAsync(Alice))!.Attributes;
        Assert.Equal("1", attributes["a"].Value);
        Assert.Equal("2", attributes["b"].Value);
    }

    [Fact]
    public async Task Seed_NoAttributes_CreatesAProfileThatExists()
    {
        var fake = new FakeProfileUpdateClient().Seed(Alice, new Dictionary<string, string>());

        var profile = await fake.GetProfileAsync(Alice);

        Assert.NotNull(profile);
        Assert.Empty(profile.Attributes);
    }

    [Fact]
    public async Task Seed_CopiesTheAttributes_ChangingTheCallersDictionaryLaterChangesNothing()
    {
        var attributes = new Dictionary<string, string> { ["tier"] = "gold" };
        var fake = new FakeProfileUpdateClient().Seed(Alice, attributes);

        attributes["tier"] = "changed";
        attributes["new"] = "x";

        var profile = (await fake.GetProfileAsync(Alice))!;
        Assert.Equal("gold", Assert.Single(profile.Attributes).Value.Value);
    }

    [Fact]
    public async Task Seed_BadArguments_ThrowNamingTheParameterAndSeedNothing()
    {
        var fake = new FakeProfileUpdateClient();

        Assert.Equal("id", Assert.Throws<ArgumentNullException>(() => fake.Seed(null!, new Dictionary<string, string>())).ParamName);
        Assert.Equal("attributes", Assert.Throws<ArgumentNullException>(() => fake.Seed(Alice, null!)).ParamName);
        var ex = Assert.Throws<ArgumentException>(() => fake.Seed(Alice, new Dictionary<string, string> { ["ok"] = "1", ["bad"] = null! }));
        Assert.Equal("attributes", ex.ParamName);
        Assert.Null(await fake.GetProfileAsync(Alice));
    }

    [Fact]
    public void Constructor_NullTimeProvider_Throws()
    {
        Assert.Equal("timeProvider", Assert.Throws<ArgumentNullException>(() => new FakeProfileUpdateClient((TimeProvider)null!)).ParamName);
    }

    [Fact]
    public async Task Fetches_RecordsEveryIdAskedFor_FoundOrNot()
    {
        var fake = new FakeProfileUpdateClient().Seed(Alice, new Dictionary<string, string>());

        await fake.GetProfileAsync(Alice);
        await fake.GetProfileAsync(Bob);

        Assert.Equal([Alice, Bob], fake.Fetches);
    }

    [Fact]
    public async Task FailNextFetches_FailsThatManyFetchesThenAnswersAgain()
    {
        var fake = new FakeProfileUpdateClient()
            .Seed(Alice, new Dictionary<string, string> { ["tier"] = "gold" })
            .FailNextFetches(1, new ProfileApiException("HTTP 503", 503, null, 4, isTransient: true));

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => fake.GetProfileAsync(Alice));
        var profile = await fake.GetProfileAsync(Alice);

        Assert.Equal(503, ex.StatusCode);
        Assert.Equal("gold", profile!.Attributes["tier"].Value);
        Assert.Equal(2, fake.Fetches.Count);
    }

    [Fact]
    public async Task FailNextFetches_DoesNotFailUpdates_AndFailNextDoesNotFailFetches()
    {
        var fake = new FakeProfileUpdateClient()
            .FailNextFetches(1, new ProfileApiException("fetch down"))
            .FailNext(1, new ProfileApiException("update down"));

        await Assert.ThrowsAsync<ProfileApiException>(() => fake.UpdateAsync(new ProfileUpdate(Alice).Set("a", "1")));
        await Assert.ThrowsAsync<ProfileApiException>(() => fake.GetProfileAsync(Alice));
        await fake.UpdateAsync(new ProfileUpdate(Alice).Set("a", "2"));

        Assert.Equal("2", (await fake.GetProfileAsync(Alice))!.Attributes["a"].Value);
    }

    [Fact]
    public async Task FailNextFetches_ScriptedCancellation_EndsAsACanceledTask()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var fake = new FakeProfileUpdateClient().FailNextFetches(1, new OperationCanceledException(cts.Token));

        var task = fake.GetProfileAsync(Alice);

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.True(task.IsCanceled);
        Assert.Equal(cts.Token, ex.CancellationToken);
    }

    [Fact]
    public async Task Reset_ForgetsProfilesDroppedUpdatesFetchesAndFetchFailures_KeepsUpdateOnly()
    {
        var fake = new FakeProfileUpdateClient { UpdateOnly = true }
            .Seed(Alice, new Dictionary<string, string> { ["tier"] = "gold" });
        await fake.UpdateAsync(new ProfileUpdate(Bob).Set("tier", "silver"));
        await fake.GetProfileAsync(Alice);
        fake.FailNextFetches(1, new ProfileApiException("down"));

        fake.Reset();

        Assert.True(fake.UpdateOnly);
        Assert.Empty(fake.DroppedUpdates);
        Assert.Empty(fake.Fetches);
        Assert.Null(await fake.GetProfileAsync(Alice));
    }

    [Fact]
    public async Task UpdatesAndFetchesFromManyThreads_EveryUpdateIsMergedOnce()
    {
        var fake = new FakeProfileUpdateClient { UpdateOnly = true }.Seed(Alice, new Dictionary<string, string>());

        await Task.WhenAll(Enumerable.Range(0, 500).Select(i => Task.Run(async () =>
        {
            await fake.UpdateAsync(new ProfileUpdate(Alice).Set("n" + i, i));
            Assert.NotNull(await fake.GetProfileAsync(Alice));
        })));

        Assert.Equal(500, (await fake.GetProfileAsync(Alice))!.Attributes.Count);
        Assert.Equal(500, fake.Updates.Count);
        Assert.Equal(500, fake.Fetches.Count(id => id == Alice) - 1);
    }
}
