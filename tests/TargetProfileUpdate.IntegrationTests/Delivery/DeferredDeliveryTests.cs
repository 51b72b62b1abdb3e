using Microsoft.Extensions.DependencyInjection;

namespace TargetProfileUpdate.IntegrationTests.Delivery;

/// <summary>Deferred delivery (issue #21 item 1) against the emulator, on one fake clock.</summary>
public sealed class DeferredDeliveryTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public async Task Defer_1000Updates_600Existing300CreatedLater100Never_900LandOnce100GivenUp()
    {
        await using var h = await DeliveryHarness.StartAsync(o => o.UnknownProfiles = UnknownProfileHandling.Defer);
        var existing = Enumerable.Range(0, 600).Select(i => DeliveryHarness.Id("old", i)).ToList();
        var later = Enumerable.Range(0, 300).Select(i => DeliveryHarness.Id("new", i)).ToList();
        var never = Enumerable.Range(0, 100).Select(i => DeliveryHarness.Id("none", i)).ToList();
        foreach (string id in existing)
        {
            h.Emulator.SeedProfile(thirdPartyId: id);
        }

        var all = existing.Concat(later).Concat(never).ToList();
        var batch = await h.Client.UpdateManyAsync(all.Select((id, i) => DeliveryHarness.UpdateFor(id, i)), new ProfileBatchOptions { MaxConcurrency = 16 });

        Assert.Equal(1000, batch.Submitted);
        Assert.Equal(600, batch.Accepted);
        Assert.Equal(400, batch.Deferred);
        Assert.Equal(0, batch.Failed);

        h.Time.Advance(TimeSpan.FromMinutes(15));
        var first = await h.Worker.RunOnceAsync();
        Assert.Equal((400, 0, 0), (first.ProfilesChecked, first.Delivered, first.GaveUp));

        // The 300 visitors come 40 minutes after the updates.
        h.Time.Advance(TimeSpan.FromMinutes(25));
        foreach (string id in later)
        {
            h.Emulator.SeedProfile(thirdPartyId: id);
        }

        h.Time.Advance(TimeSpan.FromMinutes(5));
        var second = await h.Worker.RunOnceAsync();
        Assert.Equal((400, 300, 0), (second.ProfilesChecked, second.Delivered, second.GaveUp));

        // Re-checked every 15 minutes until GiveUpAfter (24 h): only then do the 100 reach the sink.
        int gaveUp = 0;
        while (h.Time.GetUtcNow() < DeliveryHarness.Start + TimeSpan.FromHours(24))
        {
            Assert.Empty(h.GaveUp);
            h.Time.Advance(TimeSpan.FromMinutes(15));
            var pass = await h.Worker.RunOnceAsync();
            Assert.Equal(0, pass.Delivered);
            gaveUp += pass.GaveUp;
        }

        Assert.Equal(100, gaveUp);
        Assert.Equal(never.Order(StringComparer.Ordinal), h.GaveUp.Select(g => g.Update.Id.Value).Order(StringComparer.Ordinal));
        Assert.All(h.GaveUp, g => Assert.Equal(UndeliverableReason.ProfileNeverAppeared, g.Reason));
        Assert.All(h.GaveUp, g => Assert.Equal(DeliveryHarness.Start, g.Pending.DeferredAt));
        Assert.Equal(0, (await h.Worker.RunOnceAsync()).ProfilesChecked);

        // The request log: each of the 900 sent exactly once, none of the 100.
        var perId = h.UpdatesPerId();
        Assert.Equal(900, perId.Count);
        Assert.All(perId, p => Assert.Equal(1, p.Value));
        Assert.Equal(existing.Concat(later).Order(StringComparer.Ordinal), perId.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(900, h.Emulator.AppliedUpdates);
        Assert.Equal(0, h.Emulator.DroppedUpdates);

        // Every one of the 900 landed: fetched back.
        for (int i = 0; i < 900; i++)
        {
            var profile = await h.Fetch.GetProfileAsync(ProfileId.FromThirdPartyId(all[i]));
            Assert.NotNull(profile);
            Assert.Equal("gold-" + i, profile.Attributes["tier"].Value);
        }
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Defer_10000UpdatesTo100ExistingIds_CostAtMost100Fetches()
    {
        await using var h = await DeliveryHarness.StartAsync(o => o.UnknownProfiles = UnknownProfileHandling.Defer);
        for (int i = 0; i < 100; i++)
        {
            h.Emulator.SeedProfile(thirdPartyId: DeliveryHarness.Id("c", i));
        }

        var batch = await h.Client.UpdateManyAsync(
            Enumerable.Range(0, 10_000).Select(i => DeliveryHarness.UpdateFor(DeliveryHarness.Id("c", i % 100), i)),
            new ProfileBatchOptions { MaxConcurrency = 32 });

        Assert.Equal(10_000, batch.Accepted);
        Assert.Equal(100, h.FetchRequests());
        Assert.Equal(10_000, h.Emulator.AppliedUpdates);
    }

    [Fact]
    public async Task Defer_SeveralUpdatesPendingForOneId_AreSentOnceEachInTheOrderTheyWereDeferred()
    {
        await using var h = await DeliveryHarness.StartAsync(o => o.UnknownProfiles = UnknownProfileHandling.Defer);
        const string Id = "late-visitor";
        for (int i = 0; i < 5; i++)
        {
            var result = await h.Client.UpdateAsync(ProfileUpdate.ForThirdPartyId(Id).Set("step", i));
            Assert.Equal(ProfileUpdateDelivery.Deferred, result.Delivery);
            Assert.Equal(0, result.Attempts);
        }

        h.Emulator.SeedProfile(thirdPartyId: Id);

        // The profile exists now, but a new update must not overtake the five waiting ones: it joins their queue.
        var sixth = await h.Client.UpdateAsync(ProfileUpdate.ForThirdPartyId(Id).Set("step", 5));
        Assert.Equal(ProfileUpdateDelivery.Deferred, sixth.Delivery);
        Assert.Empty(h.UpdatesPerId());

        h.Time.Advance(TimeSpan.FromMinutes(15));
        var pass = await h.Worker.RunOnceAsync();

        Assert.Equal(6, pass.Delivered);
        var steps = h.Emulator.GetRequests().Where(r => r.Path.EndsWith("/profile/update", StringComparison.Ordinal))
            .Select(r => r.RawQuery.Split('&').Single(p => p.StartsWith("profile.step=", StringComparison.Ordinal))).ToList();
        Assert.Equal(Enumerable.Range(0, 6).Select(i => "profile.step=" + i), steps);
        Assert.Equal("5", (await h.Fetch.GetProfileAsync(ProfileId.FromThirdPartyId(Id)))!.Attributes["step"].Value);

        // Once the queue is empty, updates for the id go straight out again.
        var direct = await h.Client.UpdateAsync(ProfileUpdate.ForThirdPartyId(Id).Set("step", 6));
        Assert.Equal(ProfileUpdateDelivery.Sent, direct.Delivery);
    }

    [Fact]
    public async Task Defer_WhenTheInMemoryStoreIsFull_RefusesTheUpdateWithAClearErrorAndKeepsTheOthers()
    {
        await using var h = await DeliveryHarness.StartAsync(o =>
        {
            o.UnknownProfiles = UnknownProfileHandling.Defer;
            o.MaxPendingUpdates = 3;
        });

        var batch = await h.Client.UpdateManyAsync(Enumerable.Range(0, 5).Select(i => DeliveryHarness.UpdateFor(DeliveryHarness.Id("x", i), i)), new ProfileBatchOptions { MaxConcurrency = 1 });

        Assert.Equal((3L, 2L, 0L), (batch.Deferred, batch.Failed, batch.Accepted));
        var error = Assert.IsType<ProfileUpdateException>(batch.Failures[0].Exception);
        Assert.Contains("pending store is full", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxPendingUpdates", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("x-0000", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, error.Attempts);
        Assert.Empty(h.UpdatesPerId());
    }

    [Fact]
    public async Task Reject_UnknownProfile_ThrowsUnknownProfileExceptionAndSendsNothing()
    {
        await using var h = await DeliveryHarness.StartAsync(o => o.UnknownProfiles = UnknownProfileHandling.Reject);
        h.Emulator.SeedProfile(thirdPartyId: "known");

        var error = await Assert.ThrowsAsync<UnknownProfileException>(() => h.Client.UpdateAsync(ProfileUpdate.ForThirdPartyId("stranger-42").Set("a", "b")));
        var sent = await h.Client.UpdateAsync(ProfileUpdate.ForThirdPartyId("known").Set("a", "b"));

        Assert.Equal(0, error.Attempts);
        Assert.True(error.IsTransient);
        Assert.DoesNotContain("stranger", error.Message, StringComparison.Ordinal);
        Assert.Equal(ProfileUpdateDelivery.Sent, sent.Delivery);
        Assert.Equal(new Dictionary<string, int> { ["known"] = 1 }, h.UpdatesPerId());
    }

    [Fact]
    public async Task Send_WithoutSampling_ResolvesThePlainClient()
    {
        await using var h = await DeliveryHarness.StartAsync(o => o.UnknownProfiles = UnknownProfileHandling.Send);

        Assert.IsType<ProfileUpdateClient>(h.Client);
        var result = await h.Client.UpdateAsync(ProfileUpdate.ForThirdPartyId("nobody").Set("a", "b"));
        Assert.Equal(ProfileUpdateDelivery.Sent, result.Delivery);
        Assert.Equal(1, h.Emulator.DroppedUpdates);
        Assert.Equal(0, h.FetchRequests());
    }

    [Fact]
    public async Task Defer_GiveUpCallbackThrows_UpdateStaysPendingAndIsOfferedAgain()
    {
        int calls = 0;
        await using var h = await DeliveryHarness.StartAsync(o =>
        {
            o.UnknownProfiles = UnknownProfileHandling.Defer;
            o.GiveUpAfter = TimeSpan.FromHours(1);
            o.OnGiveUp = (_, _) => ++calls == 1 ? throw new InvalidOperationException("dead-letter table offline") : Task.CompletedTask;
        });

        await h.Client.UpdateAsync(ProfileUpdate.ForThirdPartyId("ghost").Set("a", "b"));
        h.Time.Advance(TimeSpan.FromHours(1));
        var failed = await h.Worker.RunOnceAsync();
        h.Time.Advance(TimeSpan.FromMinutes(15));
        var retried = await h.Worker.RunOnceAsync();

        Assert.Equal(0, failed.GaveUp);
        Assert.Equal(1, retried.GaveUp);
        Assert.Equal(2, calls);
        Assert.Equal(0, (await h.Worker.RunOnceAsync()).ProfilesChecked);
    }

    [Fact]
    public async Task Defer_GaveUp_IsCountedInTheMetricAndTheStoreIsEmpty()
    {
        await using var h = await DeliveryHarness.StartAsync(o =>
        {
            o.UnknownProfiles = UnknownProfileHandling.Defer;
            o.GiveUpAfter = TimeSpan.FromHours(1);
        });
        using var gaveUp = h.Collect("target.profile_delivery.gave_up");
        using var deferred = h.Collect("target.profile_delivery.deferred");

        await h.Client.UpdateManyAsync(Enumerable.Range(0, 7).Select(i => DeliveryHarness.UpdateFor(DeliveryHarness.Id("g", i), i)));
        h.Time.Advance(TimeSpan.FromHours(1));
        await h.Worker.RunOnceAsync();

        Assert.Equal(7, deferred.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(7, gaveUp.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.All(gaveUp.GetMeasurementSnapshot(), m => Assert.Equal(("default", "profile_never_appeared"), ((string)m.Tags["account"]!, (string)m.Tags["reason"]!)));
    }
}
