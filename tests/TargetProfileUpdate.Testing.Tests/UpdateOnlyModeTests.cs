namespace TargetProfileUpdate.Testing.Tests;

/// <summary>
/// Issue 11: the opt-in update-only rule of the real Single Profile Update API — an update to a profile that does not
/// exist is answered as a success and silently dropped.
/// </summary>
public sealed class UpdateOnlyModeTests
{
    private static readonly ProfileId Alice = ProfileId.FromThirdPartyId("alice");
    private static readonly ProfileId Bob = ProfileId.FromThirdPartyId("bob");

    [Fact]
    public void UpdateOnly_IsOffByDefault()
    {
        Assert.False(new FakeProfileUpdateClient().UpdateOnly);
    }

    [Fact]
    public async Task UpdateAsync_UpdateOnly_UnseededProfile_AnswersSuccessButDropsTheUpdate()
    {
        var fake = new FakeProfileUpdateClient { UpdateOnly = true }.Seed(Alice, new Dictionary<string, string>());
        var update = new ProfileUpdate(Bob).Set("tier", "silver");

        var result = await fake.UpdateAsync(update);

        Assert.Equal("Request successfully submitted", result.Message);
        Assert.Same(Assert.Single(fake.Attempts), Assert.Single(fake.DroppedUpdates));
        Assert.Equal(Bob, fake.DroppedUpdates[0].Id);
        Assert.Equal("silver", fake.DroppedUpdates[0].Attributes["tier"]);
        Assert.Empty(fake.Updates);
        Assert.Null(fake.LatestFor(Bob));
        Assert.Null(await fake.GetProfileAsync(Bob));
    }

    [Fact]
    public async Task UpdateAsync_UpdateOnly_SeededProfile_IsAppliedNotDropped()
    {
        var fake = new FakeProfileUpdateClient { UpdateOnly = true }.Seed(Alice, new Dictionary<string, string> { ["tier"] = "gold" });

        await fake.UpdateAsync(new ProfileUpdate(Alice).Set("tier", "platinum"));

        Assert.Empty(fake.DroppedUpdates);
        Assert.Equal("platinum", fake.LatestFor(Alice)!.Attributes["tier"]);
        Assert.Equal("platinum", (await fake.GetProfileAsync(Alice))!.Attributes["tier"].Value);
    }

    [Fact]
    public async Task UpdateAsync_UpdateOnly_SeedingAfterADrop_DoesNotBringTheDroppedUpdateBack()
    {
        var fake = new FakeProfileUpdateClient { UpdateOnly = true };
        await fake.UpdateAsync(new ProfileUpdate(Bob).Set("tier", "silver"));

        fake.Seed(Bob, new Dictionary<string, string> { ["since"] = "2026" });

        var profile = (await fake.GetProfileAsync(Bob))!;
        Assert.Equal("2026", Assert.Single(profile.Attributes).Value.Value);
        Assert.Single(fake.DroppedUpdates);
    }

    [Fact]
    public async Task UpdateAsync_UpdateOnly_AProfileCreatedBeforeItWasSwitchedOn_Exists()
    {
        var fake = new FakeProfileUpdateClient();
        await fake.UpdateAsync(new ProfileUpdate(Bob).Set("tier", "silver"));

        fake.UpdateOnly = true;
        await fake.UpdateAsync(new ProfileUpdate(Bob).Set("tier", "gold"));

        Assert.Empty(fake.DroppedUpdates);
        Assert.Equal("gold", (await fake.GetProfileAsync(Bob))!.Attributes["tier"].Value);
    }

    [Fact]
    public async Task UpdateAsync_UpdateOnly_ScriptedFailureWins_TheUpdateIsNeitherAppliedNorDropped()
    {
        var fake = new FakeProfileUpdateClient { UpdateOnly = true }.FailNext(1, new ProfileApiException("HTTP 503", 503, null, 4, isTransient: true));

        await Assert.ThrowsAsync<ProfileApiException>(() => fake.UpdateAsync(new ProfileUpdate(Bob).Set("tier", "silver")));

        Assert.Empty(fake.DroppedUpdates);
        Assert.Empty(fake.Updates);
        Assert.Single(fake.Attempts);
    }

    [Fact]
    public async Task UpdateAsync_UpdateOnly_CanceledToken_RecordsNothing()
    {
        var fake = new FakeProfileUpdateClient { UpdateOnly = true };
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fake.UpdateAsync(new ProfileUpdate(Bob).Set("tier", "silver"), cts.Token));

        Assert.Empty(fake.DroppedUpdates);
        Assert.Empty(fake.Attempts);
    }

    [Fact]
    public async Task UpdateManyAsync_UpdateOnly_CountsDroppedUpdatesAsAccepted_AsAdobeAnswers()
    {
        var fake = new FakeProfileUpdateClient { UpdateOnly = true }.Seed(Alice, new Dictionary<string, string>());

        var result = await fake.UpdateManyAsync(new[] { new ProfileUpdate(Alice).Set("a", "1"), new ProfileUpdate(Bob).Set("a", "1") });

        Assert.Equal(2, result.Accepted);
        Assert.Empty(result.Failures);
        Assert.Equal(Bob, Assert.Single(fake.DroppedUpdates).Id);
        Assert.Equal(Alice, Assert.Single(fake.Updates).Id);
    }
}
