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
        using var rig = new Rig(Outage);
        var handler = rig.Handler;

        var result = await rig.RunAsync(Source(), new ProfileBatchOptions { MaxConcurrency = 4 }, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(10));

        Assert.Equal(Updates, result.Submitted);
        Assert.Equal(Updates, result.Accepted + result.Failed + result.NotSent);
        Assert.InRange(result.NotSent, Updates - 20, Updates);
        Assert.Equal(result.Failed, result.Failures.Count);
        Assert.All(result.Failures, f => Assert.True(((ProfileApiException)f.Exception).Attempts > 0, f.Exception.Message));
        Assert.Equal(handler.Requests, result.Failures.Sum(f => (long)((ProfileApiException)f.Exception).Attempts) + result.Accepted);
    }

    /// <summary>The result counted the updates the open breaker refused (NotSent) without saying which they were, so a caller
    /// could only send the whole source again or lose them. Each one is now named by its source index: exactly those are
    /// sent again, and every update is either accepted, failed or named.</summary>
    [Fact]
    public async Task UpdateManyAsync_WhenTheBreakerIsOpen_NamesEveryUpdateNotSent_SoExactlyThoseCanBeSentAgain()
    {
        using var rig = new Rig(Outage);
        var handler = rig.Handler;

        var result = await rig.RunAsync(Source(), new ProfileBatchOptions { MaxConcurrency = 4 }, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(10));

        Assert.True(result.NotSent > 0);
        Assert.Equal(result.NotSent, result.NotSentIndexes.Count);
        Assert.Equal(result.NotSentIndexes.Order(), result.NotSentIndexes);
        var failed = result.Failures.Select(f => f.Index).ToHashSet();
        var accepted = handler.AcceptedIds.Select(id => long.Parse(id["crm-".Length..], System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        Assert.Equal(result.Accepted, accepted.Count);
        Assert.Equal(Enumerable.Range(0, Updates).Select(i => (long)i), accepted.Concat(failed).Concat(result.NotSentIndexes).Order());

        handler.Recover();
        rig.Time.Advance(TimeSpan.FromMinutes(1)); // past the breaker's break
        var resent = await rig.RunAsync(result.NotSentIndexes.Select(i => Update((int)i)), new ProfileBatchOptions { MaxConcurrency = 4 }, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(10));

        Assert.True(result.NotSent == resent.Accepted, $"resent: accepted {resent.Accepted}, failed {resent.Failed}, not sent {resent.NotSent}, {(resent.Failures.Count > 0 ? resent.Failures[0].Exception.Message : "")}");
        Assert.Equal(Updates, handler.AcceptedIds.Count + failed.Count);
    }

    [Fact]
    public async Task UpdateManyAsync_WaitWhileCircuitOpen_RidesOutAShortOutage_InsteadOfGivingUpOnEverythingBehindIt()
    {
        using var rig = new Rig(Outage);
        var handler = rig.Handler;

        var result = await rig.RunAsync(Source(), new ProfileBatchOptions { MaxConcurrency = 4, WaitWhileCircuitOpen = true, TimeProvider = rig.Time }, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(30));

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
        using var rig = new Rig(int.MaxValue);
        var (time, handler, client) = (rig.Time, rig.Handler, rig.Client);
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
            yield return Update(i);
        }
    }

    private static ProfileUpdate Update(int i) => ProfileUpdate.ForThirdPartyId("crm-" + i).Set("n", i);

    /// <summary>A DI client on a fake clock in front of an <see cref="OutageHandler"/>.</summary>
    private sealed class Rig : IDisposable
    {
        private readonly ServiceProvider _services;

        public Rig(int outage)
        {
            Handler = new OutageHandler(outage);
            _services = TestClients.CreateProvider(Handler, timeProvider: Time);
            Client = _services.GetRequiredService<IProfileUpdateClient>();
        }

        public TimerWatchingTimeProvider Time { get; } = new();

        public OutageHandler Handler { get; }

        public IProfileUpdateClient Client { get; }

        /// <summary>Runs the batch, moving the clock by <paramref name="step"/> until it completes (at most <paramref name="limit"/>).</summary>
        public async Task<ProfileBatchResult> RunAsync(IEnumerable<ProfileUpdate> source, ProfileBatchOptions options, TimeSpan step, TimeSpan limit)
        {
            var batch = Client.UpdateManyAsync(source, options);
            await TestClients.AdvanceUntilAsync(Time, () => batch.IsCompleted, step, limit);
            return await batch;
        }

        public void Dispose() => _services.Dispose();
    }

    /// <summary>Answers 503 to the first <c>outage</c> requests, then accepts (and records the ids it accepted).</summary>
    private sealed class OutageHandler(int outage) : HttpMessageHandler
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _accepted = new(StringComparer.Ordinal);
        private long _requests;
        private volatile bool _recovered;

        public long Requests => Interlocked.Read(ref _requests);

        public ICollection<string> AcceptedIds => _accepted.Keys;

        /// <summary>Ends the outage now (before its count of 503s, which an open breaker keeps from being reached).</summary>
        public void Recover() => _recovered = true;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _requests) <= outage && !_recovered)
            {
                return Task.FromResult(RecordingHandler.Text(HttpStatusCode.ServiceUnavailable, "busy"));
            }

            string query = request.RequestUri!.Query;
            int start = query.IndexOf("mbox3rdPartyId=", StringComparison.Ordinal) + "mbox3rdPartyId=".Length;
            int end = query.IndexOf('&', start);
            _accepted.TryAdd(Uri.UnescapeDataString(query[start..(end < 0 ? query.Length : end)]), true);
            return Task.FromResult(RecordingHandler.Ok());
        }
    }
}
