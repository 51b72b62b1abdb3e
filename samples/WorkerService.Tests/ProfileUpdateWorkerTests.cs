using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using TargetProfileUpdate;
using TargetProfileUpdate.Testing;

namespace WorkerService.Tests;

/// <summary>
/// How a consumer unit-tests its own code that depends on IProfileUpdateClient: hand it a
/// FakeProfileUpdateClient, run it, and assert on the updates the fake recorded. No network, no emulator.
/// </summary>
public sealed class ProfileUpdateWorkerTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static async Task<ProfileUpdateWorker> RunAsync(IProfileUpdateClient client, params OfflineEvent[] events)
    {
        var channel = Channel.CreateUnbounded<OfflineEvent>();
        foreach (var offlineEvent in events)
        {
            await channel.Writer.WriteAsync(offlineEvent);
        }

        channel.Writer.Complete();
        var worker = new ProfileUpdateWorker(channel.Reader, client, NullLogger<ProfileUpdateWorker>.Instance, new StubLifetime());
        await worker.StartAsync(CancellationToken.None);
        await worker.ExecuteTask!;
        return worker;
    }

    [Fact]
    public async Task Worker_TurnsACallCentreContactIntoAProfileUpdate()
    {
        var fake = new FakeProfileUpdateClient();

        await RunAsync(fake, new CallCentreContact("crm-1", "mortgage renewal", At));

        var update = fake.LatestFor(ProfileId.FromThirdPartyId("crm-1"))!;
        Assert.Equal("call-centre", update.Attributes["lastContactChannel"]);
        Assert.Equal("mortgage renewal", update.Attributes["lastContactTopic"]);
        Assert.Equal("2026-11-23T09:00:00.0000000+00:00", update.Attributes["lastContactAt"]);
    }

    [Fact]
    public async Task Worker_WhenAnUpdateFails_CountsItAndGoesOn()
    {
        var fake = new FakeProfileUpdateClient().FailNext(1, new ProfileUpdateException("HTTP 503", 503, null, 4, isTransient: true));

        var worker = await RunAsync(fake,
            new LoyaltyCardScan("crm-1", "Store 7", 12.5m, At),
            new LoyaltyCardScan("crm-2", "Store 8", 20m, At));

        Assert.Equal(1, worker.Failed);
        Assert.Equal(1, worker.Accepted);
        Assert.Equal("Store 8", fake.LatestFor(ProfileId.FromThirdPartyId("crm-2"))!.Attributes["lastStore"]);
        Assert.Null(fake.LatestFor(ProfileId.FromThirdPartyId("crm-1")));
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
