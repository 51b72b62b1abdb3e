using TargetProfileUpdate.Testing;

namespace TargetProfileUpdate.Testing.Tests;

public sealed class FakeProfileUpdateClientTests
{
    private static readonly ProfileId Alice = ProfileId.FromThirdPartyId("alice");
    private static readonly ProfileId Bob = ProfileId.FromThirdPartyId("bob");

    [Fact]
    public async Task UpdateAsync_RecordsUpdatesInArrivalOrder()
    {
        var fake = new FakeProfileUpdateClient();

        var result = await fake.UpdateAsync(new ProfileUpdate(Alice).Set("tier", "gold"));
        await fake.UpdateAsync(new ProfileUpdate(Bob).Set("tier", "silver"));
        await fake.UpdateAsync(new ProfileUpdate(Alice).Set("tier", "platinum"));

        Assert.Equal("Request successfully submitted", result.Message);
        Assert.Equal(["gold", "silver", "platinum"], fake.Updates.Select(u => u.Attributes["tier"]));
        Assert.Equal("platinum", fake.LatestFor(Alice)!.Attributes["tier"]);
        Assert.Equal(2, fake.UpdatesFor(Alice).Count);
        Assert.Null(fake.LatestFor(ProfileId.FromPcId("alice")));
    }

    [Fact]
    public async Task FailNext_FailsThatManyCallsThenSucceeds()
    {
        var fake = new FakeProfileUpdateClient().FailNext(2, new ProfileApiException("HTTP 503", 503, null, 4, isTransient: true));

        var first = await Assert.ThrowsAsync<ProfileApiException>(() => fake.UpdateAsync(new ProfileUpdate(Alice).Set("a", "1")));
        await Assert.ThrowsAsync<ProfileApiException>(() => fake.UpdateAsync(new ProfileUpdate(Alice).Set("a", "2")));
        await fake.UpdateAsync(new ProfileUpdate(Alice).Set("a", "3"));

        Assert.Equal(503, first.StatusCode);
        Assert.Equal(3, fake.Attempts.Count);
        Assert.Equal("3", Assert.Single(fake.Updates).Attributes["a"]);
    }

    [Fact]
    public async Task FailFor_FailsOnlyThatProfile()
    {
        var fake = new FakeProfileUpdateClient().FailFor(Bob, new ProfileApiRateLimitedException("quota", TimeSpan.FromMinutes(1)));

        await fake.UpdateAsync(new ProfileUpdate(Alice).Set("a", "1"));
        var ex = await Assert.ThrowsAsync<ProfileApiRateLimitedException>(() => fake.UpdateAsync(new ProfileUpdate(Bob).Set("a", "1")));

        Assert.Equal(TimeSpan.FromMinutes(1), ex.RetryAfter);
        Assert.Equal(Alice, Assert.Single(fake.Updates).Id);
    }

    [Fact]
    public async Task FailAlways_FailsUntilReset()
    {
        var fake = new FakeProfileUpdateClient().FailAlways(new InvalidOperationException("down"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => fake.UpdateAsync(new ProfileUpdate(Alice).Set("a", "1")));
        fake.Reset();
        await fake.UpdateAsync(new ProfileUpdate(Alice).Set("a", "1"));

        Assert.Single(fake.Updates);
        Assert.Single(fake.Attempts);
    }

    [Fact]
    public async Task UpdateAsync_WithoutAttributes_ThrowsLikeTheRealClient()
    {
        var fake = new FakeProfileUpdateClient();

        await Assert.ThrowsAsync<ArgumentException>(() => fake.UpdateAsync(new ProfileUpdate(Alice)));
        await Assert.ThrowsAsync<ArgumentNullException>(() => fake.UpdateAsync(null!));
        Assert.Empty(fake.Attempts);
    }

    [Fact]
    public async Task UpdateAsync_CanceledToken_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new FakeProfileUpdateClient().UpdateAsync(new ProfileUpdate(Alice).Set("a", "1"), cts.Token));
    }

    [Fact]
    public async Task UpdateAsync_FromManyThreads_RecordsEveryUpdate()
    {
        var fake = new FakeProfileUpdateClient();

        await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => Task.Run(() => fake.UpdateAsync(ProfileUpdate.ForThirdPartyId("p" + i).Set("n", i)))));

        Assert.Equal(1000, fake.Updates.Select(u => u.Id).Distinct().Count());
    }

    [Fact]
    public async Task UpdateManyAsync_WorksOnTheFakeAndReportsItsFailures()
    {
        var fake = new FakeProfileUpdateClient().FailFor(Bob, new ProfileApiException("HTTP 400", 400, null, 1, isTransient: false));
        var updates = new[] { new ProfileUpdate(Alice).Set("a", "1"), new ProfileUpdate(Bob).Set("a", "1"), new ProfileUpdate(Alice).Set("a", "2") };

        var result = await fake.UpdateManyAsync(updates);

        Assert.Equal(3, result.Submitted);
        Assert.Equal(2, result.Accepted);
        Assert.Equal(1, Assert.Single(result.Failures).Index);
    }
}
