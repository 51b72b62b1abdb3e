using Microsoft.Extensions.Diagnostics.HealthChecks;
using TargetProfileUpdate.Emulator;

namespace TargetProfileUpdate.IntegrationTests.Delivery;

/// <summary>The account health check (issue #21 item 3): each state reached against the emulator.</summary>
public sealed class HealthCheckTests
{
    [Fact]
    public async Task Health_AWorkingAccount_IsHealthy()
    {
        await using var h = await DeliveryHarness.StartAsync(o => o.UnknownProfiles = UnknownProfileHandling.Defer);

        var report = await h.HealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(0L, report.Entries["targetprofileupdate"].Data["pending.updates"]);
    }

    [Fact]
    public async Task Health_WhenImsRefusesTheCredentials_IsUnhealthy()
    {
        await using var h = await DeliveryHarness.StartAsync(
            _ => { },
            e =>
            {
                e.ImsClientId = "client-id";
                e.ImsClientSecret = "the-real-secret";
                e.Tenant = "acme";
            },
            o =>
            {
                o.AdobeIms.ClientId = "client-id";
                o.AdobeIms.ClientSecret = "a-wrong-secret";
                o.AdobeIms.Tenant = "acme";
                o.AdobeIms.Scopes = "openid,AdobeID,target_sdk";
            });

        var report = await h.HealthAsync();
        var entry = report.Entries["targetprofileupdate"];

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains("token cannot be obtained", entry.Description, StringComparison.Ordinal);
        Assert.Equal("unavailable", entry.Data["token"]);
        Assert.DoesNotContain("secret", entry.Description, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Health_WhenTheUpdateCircuitBreakerIsOpen_IsUnhealthy()
    {
        await using var h = await OpenBreakerAsync(h => h.Client.UpdateAsync(ProfileUpdate.ForThirdPartyId("a").Set("x", "y")));

        var report = await h.HealthAsync();

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains("update circuit breaker is open", report.Entries["targetprofileupdate"].Description, StringComparison.Ordinal);
    }

    /// <summary>An open fetch breaker (Adobe's fetch endpoint failing) made the whole account Unhealthy, so an orchestrator
    /// restarted or unrouted instances whose updates were still going through. Only the update endpoint's breaker makes the
    /// account Unhealthy; the others (fetch, bulk, catalog, privacy, the token endpoints) degrade it, and the token check
    /// already reports a token that cannot be obtained.</summary>
    [Fact]
    public async Task Health_WhenOnlyTheFetchCircuitBreakerIsOpen_IsDegraded_AndUpdatesStillGo()
    {
        await using var h = await OpenBreakerAsync(h => h.Fetch.GetProfileAsync(ProfileId.FromThirdPartyId("a")));

        var report = await h.HealthAsync();
        h.Emulator.BeginScenario(); // the faults the open breaker kept from being sent are not the update's
        await h.Client.UpdateAsync(ProfileUpdate.ForThirdPartyId("a").Set("x", "y"));

        var entry = report.Entries["targetprofileupdate"];
        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Contains("fetch circuit breaker is open", entry.Description, StringComparison.Ordinal);
        Assert.Equal("Open", entry.Data["circuit.fetch"]);
    }

    /// <summary>An account whose breakers open after two failed calls, with one endpoint's breaker opened by 503s.</summary>
    private static async Task<DeliveryHarness> OpenBreakerAsync(Func<DeliveryHarness, Task> call)
    {
        var h = await DeliveryHarness.StartAsync(_ => { }, sdkOptions: o =>
        {
            o.Resilience.CircuitBreakerMinimumThroughput = 2;
            o.Resilience.CircuitBreakerFailureRatio = 0.5;
        });
        h.Emulator.InjectFaults(Enumerable.Range(0, 10).Select(_ => EmulatorFault.Status(503)).ToArray());
        for (int i = 0; i < 4; i++)
        {
            await Assert.ThrowsAnyAsync<ProfileApiException>(() => call(h));
        }

        return h;
    }

    [Fact]
    public async Task Health_UnderFivePercentQuotaHeadroom_IsDegraded()
    {
        await using var h = await DeliveryHarness.StartAsync(_ => { }, sdkOptions: o => o.Quota.PermitLimit = 100);
        await h.Client.UpdateManyAsync(Enumerable.Range(0, 95).Select(i => DeliveryHarness.UpdateFor("q", i)));
        var at95 = await h.HealthAsync();
        await h.Client.UpdateAsync(DeliveryHarness.UpdateFor("q", 96));

        var at96 = await h.HealthAsync();

        Assert.Equal(HealthStatus.Healthy, at95.Status);
        Assert.Equal(HealthStatus.Degraded, at96.Status);
        Assert.Equal(4L, at96.Entries["targetprofileupdate"].Data["quota.available"]);
        Assert.Contains("quota", at96.Entries["targetprofileupdate"].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_OldestPendingUpdateOlderThanHalfOfGiveUpAfter_IsDegraded()
    {
        await using var h = await DeliveryHarness.StartAsync(o =>
        {
            o.UnknownProfiles = UnknownProfileHandling.Defer;
            o.GiveUpAfter = TimeSpan.FromHours(24);
        });
        await h.Client.UpdateAsync(ProfileUpdate.ForThirdPartyId("secret-visitor-id").Set("a", "b"));

        h.Time.Advance(TimeSpan.FromHours(12));
        var atHalf = await h.HealthAsync();
        h.Time.Advance(TimeSpan.FromMinutes(1));
        var past = await h.HealthAsync();
        var entry = past.Entries["targetprofileupdate"];

        Assert.Equal(HealthStatus.Healthy, atHalf.Status);
        Assert.Equal(HealthStatus.Degraded, past.Status);
        Assert.Equal(1L, entry.Data["pending.updates"]);
        Assert.Equal(43260d, entry.Data["pending.oldest_age_seconds"]);
        Assert.DoesNotContain(entry.Data.Values, v => v.ToString()!.Contains("secret-visitor-id", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Health_VerifiedLandingRateBelowTheThreshold_IsDegraded()
    {
        await using var h = await DeliveryHarness.StartAsync(o =>
        {
            o.VerifySampleRate = 1;
            o.VerifyAfter = TimeSpan.FromMinutes(5);
            o.MinimumLandingRate = 0.9;
        });

        // 20 updates, 3 to profiles that do not exist: 85 % landed.
        for (int i = 0; i < 20; i++)
        {
            if (i >= 3)
            {
                h.Emulator.SeedProfile(thirdPartyId: DeliveryHarness.Id("r", i));
            }
        }

        await h.Client.UpdateManyAsync(Enumerable.Range(0, 20).Select(i => DeliveryHarness.UpdateFor(DeliveryHarness.Id("r", i), i)));
        h.Time.Advance(TimeSpan.FromMinutes(5));
        await h.Worker.RunOnceAsync();

        var report = await h.HealthAsync();
        var entry = report.Entries["targetprofileupdate"];

        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Equal(0.85, entry.Data["verified.landing_rate"]);
        Assert.Equal(3L, entry.Data["verified.profile_missing"]);
    }
}
