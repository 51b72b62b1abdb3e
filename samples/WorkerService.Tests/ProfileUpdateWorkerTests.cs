using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using TargetProfileUpdate;
using TargetProfileUpdate.Testing;

namespace WorkerService.Tests;

/// <summary>
/// How a consumer unit-tests its own code that depends on IProfileUpdateClient and IProfileFetchClient: hand it a
/// FakeProfileUpdateClient (one object serves both), seed the profiles Target "has", run it, and assert on what the
/// fake recorded and on the profile read back. No network, no emulator.
/// </summary>
public sealed class ProfileUpdateWorkerTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly ProfileId Crm1 = ProfileId.FromThirdPartyId("crm-1");
    private static readonly ProfileId Crm2 = ProfileId.FromThirdPartyId("crm-2");

    private static async Task<ProfileUpdateWorker> RunAsync(FakeProfileUpdateClient fake, params OfflineEvent[] events)
    {
        var channel = Channel.CreateUnbounded<OfflineEvent>();
        foreach (var offlineEvent in events)
        {
            await channel.Writer.WriteAsync(offlineEvent);
        }

        channel.Writer.Complete();
        var worker = new ProfileUpdateWorker(channel.Reader, fake, fake, NullLogger<ProfileUpdateWorker>.Instance, new StubLifetime());
        await worker.StartAsync(CancellationToken.None);
        await worker.ExecuteTask!;
        return worker;
    }

    private static FakeProfileUpdateClient TargetKnows(params ProfileId[] ids)
    {
        // UpdateOnly: like Adobe, an update to an unknown id would be "submitted" and dropped.
        var fake = new FakeProfileUpdateClient { UpdateOnly = true };
        foreach (var id in ids)
        {
            fake.Seed(id, new Dictionary<string, string> { ["loyaltyTier"] = "gold" });
        }

        return fake;
    }

    [Fact]
    public async Task Worker_TurnsACallCentreContactIntoAProfileUpdate()
    {
        var fake = TargetKnows(Crm1);

        await RunAsync(fake, new CallCentreContact("crm-1", "mortgage renewal", At));

        var update = fake.LatestFor(Crm1)!;
        Assert.Equal("call-centre", update.Attributes["lastContactChannel"]);
        Assert.Equal("mortgage renewal", update.Attributes["lastContactTopic"]);
        Assert.Equal("2026-11-23T09:00:00.0000000+00:00", update.Attributes["lastContactAt"]);
    }

    [Fact]
    public async Task Worker_ProfileReadBack_HoldsWhatTargetHadAndWhatTheWorkerSent()
    {
        var fake = TargetKnows(Crm1);

        await RunAsync(fake, new LoyaltyCardScan("crm-1", "Store 7", 12.5m, At));

        var profile = (await fake.GetProfileAsync(Crm1))!;
        Assert.Equal("gold", profile.Attributes["loyaltyTier"].Value);
        Assert.Equal("Store 7", profile.Attributes["lastStore"].Value);
        Assert.Equal("12.5", profile.Attributes["lastBasketValue"].Value);
    }

    [Fact]
    public async Task Worker_WhenTargetHasNoProfileForTheCustomer_SkipsTheEventInsteadOfSendingAnUpdateAdobeWouldDrop()
    {
        var fake = TargetKnows(Crm1);

        var worker = await RunAsync(fake,
            new LoyaltyCardScan("crm-1", "Store 7", 12.5m, At),
            new LoyaltyCardScan("crm-2", "Store 8", 20m, At));

        Assert.Equal(1, worker.Accepted);
        Assert.Equal(1, worker.Skipped);
        Assert.Equal(0, worker.Failed);
        Assert.Equal([Crm1, Crm2], fake.Fetches);
        Assert.Equal(Crm1, Assert.Single(fake.Attempts).Id);
        Assert.Empty(fake.DroppedUpdates);
        Assert.Null(await fake.GetProfileAsync(Crm2));
    }

    [Fact]
    public async Task Worker_ChecksEachCustomerOnce_AndRemembersTheOnesThatExist()
    {
        var fake = TargetKnows(Crm1);

        var worker = await RunAsync(fake,
            new LoyaltyCardScan("crm-1", "Store 7", 12.5m, At),
            new CallCentreContact("crm-1", "mortgage renewal", At),
            new LoyaltyCardScan("crm-1", "Store 8", 20m, At));

        Assert.Equal(3, worker.Accepted);
        Assert.Equal([Crm1], fake.Fetches);
        Assert.Equal(3, fake.UpdatesFor(Crm1).Count);
    }

    [Fact]
    public async Task Worker_WhenTheExistenceCheckFails_CountsItSendsNothingAndChecksAgainNextTime()
    {
        var fake = TargetKnows(Crm1).FailNextFetches(1, new ProfileApiException("HTTP 503", 503, null, 4, isTransient: true));

        var worker = await RunAsync(fake,
            new LoyaltyCardScan("crm-1", "Store 7", 12.5m, At),
            new LoyaltyCardScan("crm-1", "Store 8", 20m, At));

        Assert.Equal(1, worker.Failed);
        Assert.Equal(1, worker.Accepted);
        Assert.Equal(2, fake.Fetches.Count);
        Assert.Equal("Store 8", Assert.Single(fake.Updates).Attributes["lastStore"]);
    }

    [Fact]
    public async Task Worker_WhenAnUpdateFails_CountsItAndGoesOn()
    {
        var fake = TargetKnows(Crm1, Crm2).FailNext(1, new ProfileApiException("HTTP 503", 503, null, 4, isTransient: true));

        var worker = await RunAsync(fake,
            new LoyaltyCardScan("crm-1", "Store 7", 12.5m, At),
            new LoyaltyCardScan("crm-2", "Store 8", 20m, At));

        Assert.Equal(1, worker.Failed);
        Assert.Equal(1, worker.Accepted);
        Assert.Equal("Store 8", fake.LatestFor(Crm2)!.Attributes["lastStore"]);
        Assert.Null(fake.LatestFor(Crm1));
    }

    private sealed class StubLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
