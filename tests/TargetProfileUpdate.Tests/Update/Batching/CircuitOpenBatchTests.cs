using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Update.Batching;

/// <summary>
/// Issue 19 item 10: a short outage failed a whole batch. With 60 × 503, UpdateManyAsync of 200 updates at MaxConcurrency 4
/// gave failed=200 notSent=0: 192 of them were never sent ("the circuit breaker is open") but counted as failed.
/// </summary>
public sealed class CircuitOpenBatchTests
{
    private const int Updates = 200;
    private const int Outage = 60;

    [Fact]
    public async Task UpdateManyAsync_WhenTheBreakerIsOpen_CountsUpdatesNeverSentAsNotSent_NotFailed()
    {
        var time = new TimerWatchingTimeProvider();
        var handler = new OutageHandler(Outage);
        using var services = TestClients.CreateProvider(handler, timeProvider: time);
        var client = services.GetRequiredService<IProfileUpdateClient>();

        var batch = client.UpdateManyAsync(Source(), new ProfileBatchOptions { MaxConcurrency = 4 });
        await TestClients.AdvanceUntilAsync(time, () => batch.IsCompleted, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(10));
        var result = await batch;

        Assert.Equal(Updates, result.Submitted);
        Assert.Equal(Updates, result.Accepted + result.Failed + result.NotSent);
        Assert.InRange(result.NotSent, Updates - 20, Updates);
        Assert.Equal(result.Failed, result.Failures.Count);
        Assert.All(result.Failures, f => Assert.True(((ProfileApiException)f.Exception).Attempts > 0, f.Exception.Message));
        Assert.Equal(handler.Requests, result.Failures.Sum(f => (long)((ProfileApiException)f.Exception).Attempts) + result.Accepted);
    }

    [Fact]
    public async Task UpdateManyAsync_WaitWhileCircuitOpen_RidesOutAShortOutage_InsteadOfGivingUpOnEverythingBehindIt()
    {
        var time = new TimerWatchingTimeProvider();
        var handler = new OutageHandler(Outage);
        using var services = TestClients.CreateProvider(handler, timeProvider: time);
        var client = services.GetRequiredService<IProfileUpdateClient>();

        var batch = client.UpdateManyAsync(Source(), new ProfileBatchOptions { MaxConcurrency = 4, WaitWhileCircuitOpen = true, TimeProvider = time });
        await TestClients.AdvanceUntilAsync(time, () => batch.IsCompleted, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(30));
        var result = await batch;

        Assert.Equal(0, result.NotSent);
        Assert.Equal(Updates, result.Accepted + result.Failed);

        // Only updates that went on the wire during the outage can fail: at most one per 503 answered.
        Assert.InRange(result.Failed, 0, Outage);
        Assert.InRange(result.Accepted, Updates - Outage, Updates);
        Assert.True(handler.Requests >= Outage, "the outage was not reached: " + handler.Requests);
    }

    [Fact]
    public async Task UpdateManyAsync_WaitWhileCircuitOpen_IsBoundedByTheCallersToken_AndWaitingUpdatesAreNotSent()
    {
        var time = new TimerWatchingTimeProvider();
        var handler = new OutageHandler(int.MaxValue);
        using var services = TestClients.CreateProvider(handler, timeProvider: time);
        var client = services.GetRequiredService<IProfileUpdateClient>();
        using var cts = new CancellationTokenSource();

        var batch = client.UpdateManyAsync(Source(), new ProfileBatchOptions { MaxConcurrency = 4, WaitWhileCircuitOpen = true, TimeProvider = time }, cts.Token);
        await TestClients.AdvanceUntilAsync(time, () => handler.Requests >= 20, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(10));
        await cts.CancelAsync();
        var canceled = await Assert.ThrowsAsync<ProfileBatchCanceledException>(() => batch);

        var result = canceled.PartialResult;
        Assert.Equal(result.Submitted, result.Accepted + result.Failed + result.NotSent);
        Assert.InRange(result.NotSent, 1, 4);
        Assert.Equal(0, result.Accepted);
        Assert.All(result.Failures, f => Assert.True(((ProfileApiException)f.Exception).Attempts > 0));
    }

    private static IEnumerable<ProfileUpdate> Source()
    {
        for (int i = 0; i < Updates; i++)
        {
            yield return ProfileUpdate.ForThirdPartyId("crm-" + i).Set("n", i);
        }
    }

    /// <summary>Answers 503 to the first <c>outage</c> requests, then accepts.</summary>
    private sealed class OutageHandler(int outage) : HttpMessageHandler
    {
        private long _requests;

        public long Requests => Interlocked.Read(ref _requests);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(Interlocked.Increment(ref _requests) <= outage
                ? RecordingHandler.Text(HttpStatusCode.ServiceUnavailable, "busy")
                : RecordingHandler.Ok());
    }
}
