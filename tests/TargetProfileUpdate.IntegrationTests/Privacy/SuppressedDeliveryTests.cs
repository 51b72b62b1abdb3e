using Microsoft.Extensions.DependencyInjection;
using TargetProfileUpdate.IntegrationTests.Delivery;

namespace TargetProfileUpdate.IntegrationTests.Privacy;

/// <summary>
/// Deferred deliveries for erased people (issue 23): refused before they are held, and given up before anything is fetched
/// or sent when the person is erased while their update waits.
/// </summary>
public sealed class SuppressedDeliveryTests
{
    [Fact]
    public async Task Defer_ForASuppressedId_ThrowsBeforeTheUpdateIsHeldOrTheProfileFetched()
    {
        await using var h = await DeliveryHarness.StartAsync(o => o.UnknownProfiles = UnknownProfileHandling.Defer);
        var id = ProfileId.FromThirdPartyId("erased-1");
        await h.Services.GetRequiredService<ISuppressionList>().AddAsync([id]);
        using var suppressed = h.Collect("target.profile.suppressed");

        var ex = await Assert.ThrowsAsync<ProfileSuppressedException>(() => h.Client.UpdateAsync(DeliveryHarness.UpdateFor(id.Value, 1)));
        h.Time.Advance(TimeSpan.FromMinutes(15));
        var pass = await h.Worker.RunOnceAsync();

        Assert.Equal(ProfileApiFailureReason.Suppressed, ex.Reason);
        Assert.Equal(0, pass.ProfilesChecked);
        Assert.Empty(h.Emulator.GetRequests());
        var measurement = Assert.Single(suppressed.GetMeasurementSnapshot());
        Assert.Equal("update", measurement.Tags["source"]);
    }

    [Fact]
    public async Task HeldUpdate_WhoseIdIsErasedWhileItWaits_IsGivenUpAsSuppressed_WithoutAFetchOrASend()
    {
        await using var h = await DeliveryHarness.StartAsync(o => o.UnknownProfiles = UnknownProfileHandling.Defer);
        var id = ProfileId.FromThirdPartyId("erased-2");
        var deferred = await h.Client.UpdateAsync(DeliveryHarness.UpdateFor(id.Value, 2));
        Assert.Equal(ProfileUpdateDelivery.Deferred, deferred.Delivery);
        int fetchesBefore = h.FetchRequests();
        using var suppressed = h.Collect("target.profile.suppressed");

        // The person visits (the profile appears), then is erased: the held update must not be sent.
        h.Emulator.SeedProfile(thirdPartyId: id.Value);
        await h.Services.GetRequiredService<ISuppressionList>().AddAsync([id]);
        h.Time.Advance(TimeSpan.FromMinutes(15));
        var pass = await h.Worker.RunOnceAsync();

        Assert.Equal((0, 1), (pass.Delivered, pass.GaveUp));
        var gaveUp = Assert.Single(h.GaveUp);
        Assert.Equal(UndeliverableReason.Suppressed, gaveUp.Reason);
        Assert.IsType<ProfileSuppressedException>(gaveUp.Exception);
        Assert.Equal(fetchesBefore, h.FetchRequests());
        Assert.Empty(h.UpdatesPerId());
        var measurement = Assert.Single(suppressed.GetMeasurementSnapshot());
        Assert.Equal("delivery", measurement.Tags["source"]);
        Assert.Equal(0, (await h.Worker.RunOnceAsync()).ProfilesChecked);
    }
}
