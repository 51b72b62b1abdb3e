namespace TargetProfileUpdate.IntegrationTests.Delivery;

/// <summary>Delivery verification (issue #21 item 2): <see cref="IProfileFetchClient.VerifyAsync(ProfileUpdate, CancellationToken)"/> and the sampled verifier.</summary>
public sealed class VerificationTests
{
    [Fact]
    public async Task VerifyAsync_ReportsLandedMissingSupersededAndProfileMissing()
    {
        await using var h = await DeliveryHarness.StartAsync(_ => { }, e => e.PropagationDelay = TimeSpan.FromMinutes(30));
        h.Emulator.SeedProfile(thirdPartyId: "crm-1", attributes: new Dictionary<string, string> { ["tier"] = "bronze" });
        var update = ProfileUpdate.ForThirdPartyId("crm-1").Set("tier", "gold").Set("city", "Basel").Set("score", 7);
        await h.Client.UpdateAsync(update);
        var sentAt = h.Time.GetUtcNow();

        // Before Adobe applied it: every attribute is missing (bronze is older than the send, so it is not "superseded").
        var early = await h.Fetch.VerifyAsync(update, sentAt, CancellationToken.None);
        Assert.Equal(VerificationOutcome.NotLanded, early.Outcome);
        Assert.Equal(3, early.Missing);

        // Applied; then another writer changes the city after our send.
        h.Time.Advance(TimeSpan.FromMinutes(31));
        await h.Client.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-1").Set("city", "Zürich"));
        h.Time.Advance(TimeSpan.FromMinutes(31));
        var mixed = await h.Fetch.VerifyAsync(update, sentAt, CancellationToken.None);

        Assert.False(mixed.ProfileMissing);
        Assert.Equal(AttributeVerification.Landed, mixed.Attributes["tier"]);
        Assert.Equal(AttributeVerification.Superseded, mixed.Attributes["city"]);
        Assert.Equal(AttributeVerification.Landed, mixed.Attributes["score"]);
        Assert.Equal(VerificationOutcome.Superseded, mixed.Outcome);

        var partly = ProfileUpdate.ForThirdPartyId("crm-1").Set("tier", "gold").Set("never-sent", "x");
        var missing = await h.Fetch.VerifyAsync(partly);
        Assert.Equal(AttributeVerification.Landed, missing.Attributes["tier"]);
        Assert.Equal(AttributeVerification.Missing, missing.Attributes["never-sent"]);
        Assert.Equal(VerificationOutcome.NotLanded, missing.Outcome);

        // Without the send time, a different value cannot be told from a lost one: it counts as missing.
        Assert.Equal(AttributeVerification.Missing, (await h.Fetch.VerifyAsync(update)).Attributes["city"]);

        var nobody = await h.Fetch.VerifyAsync(ProfileUpdate.ForThirdPartyId("nobody").Set("tier", "gold"));
        Assert.True(nobody.ProfileMissing);
        Assert.Equal(VerificationOutcome.ProfileMissing, nobody.Outcome);
        Assert.Empty(nobody.Attributes);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task SampledVerifier_TenPercent_MetricCountsMatchWhatTheEmulatorApplied()
    {
        await using var h = await DeliveryHarness.StartAsync(o =>
        {
            o.VerifySampleRate = 0.1;
            o.VerifyAfter = TimeSpan.FromHours(1);
        }, e => e.PropagationDelay = TimeSpan.FromMinutes(20));
        using var verified = h.Collect("target.profile_delivery.verified");

        // 1,000 updates; profiles exist for three ids in four, so the emulator drops the rest.
        var ids = Enumerable.Range(0, 1000).Select(i => DeliveryHarness.Id("s", i)).ToList();
        for (int i = 0; i < ids.Count; i++)
        {
            if (i % 4 != 3)
            {
                h.Emulator.SeedProfile(thirdPartyId: ids[i]);
            }
        }

        var batch = await h.Client.UpdateManyAsync(ids.Select((id, i) => DeliveryHarness.UpdateFor(id, i)), new ProfileBatchOptions { MaxConcurrency = 1 });
        Assert.Equal(1000, batch.Accepted);

        var tooEarly = await h.Worker.RunOnceAsync();
        h.Time.Advance(TimeSpan.FromHours(1));
        var pass = await h.Worker.RunOnceAsync();

        // Sent one at a time, so the sample is exactly the 10th, 20th, … update; what the emulator applied decides each outcome.
        var sampled = Enumerable.Range(1, 100).Select(k => (10 * k) - 1).ToList();
        int expectedLanded = sampled.Count(i => h.Emulator.FindByThirdPartyId(ids[i])?.Attributes.GetValueOrDefault("tier")?.Value == "gold-" + i);
        int expectedMissing = sampled.Count(i => h.Emulator.FindByThirdPartyId(ids[i]) is null);
        var counts = verified.GetMeasurementSnapshot().GroupBy(m => (string)m.Tags["outcome"]!).ToDictionary(g => g.Key, g => g.Sum(m => m.Value));

        Assert.Equal(0, tooEarly.Verified);
        Assert.Equal(100, pass.Verified);
        Assert.Equal(750, h.Emulator.AppliedUpdates);
        Assert.Equal(250, h.Emulator.DroppedUpdates);
        Assert.Equal(50, expectedLanded);
        Assert.Equal(50, expectedMissing);
        Assert.Equal(new Dictionary<string, long> { ["landed"] = expectedLanded, ["profile_missing"] = expectedMissing }, counts);
        Assert.All(verified.GetMeasurementSnapshot(), m => Assert.Equal(["account", "outcome"], m.Tags.Keys.Order()));
    }
}
