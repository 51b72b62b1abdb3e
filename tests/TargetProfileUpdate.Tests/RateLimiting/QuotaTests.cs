using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Time.Testing;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.RateLimiting;

public sealed class QuotaTests
{
    private readonly record struct Permit(bool IsGranted, TimeSpan RetryAfter);

    private static Permit Take(RateLimiter quota)
    {
        using var lease = quota.AttemptAcquire(1);
        return new Permit(lease.IsAcquired, lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.Zero);
    }

    private static ProfileUpdate Update(int n = 0) => ProfileUpdate.ForThirdPartyId("crm-1").Set("n", n);

    [Fact]
    public void SlidingWindowQuota_WhenSpent_RefusesUntilTheWindowSlides()
    {
        var time = new FakeTimeProvider();
        var quota = new SlidingWindowQuota(3, TimeSpan.FromSeconds(10), time, segments: 10);

        Assert.True(Take(quota).IsGranted);
        Assert.True(Take(quota).IsGranted);
        Assert.True(Take(quota).IsGranted);
        var refused = Take(quota);

        Assert.False(refused.IsGranted);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(11));
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(Take(quota).IsGranted);
        time.Advance(TimeSpan.FromSeconds(6));
        Assert.True(Take(quota).IsGranted);
    }

    [Fact]
    public void SlidingWindowQuota_PermitsReturnInTheOrderTheyWereTaken()
    {
        var time = new FakeTimeProvider();
        var quota = new SlidingWindowQuota(3, TimeSpan.FromSeconds(10), time, segments: 10);
        Take(quota);
        Take(quota);
        time.Advance(TimeSpan.FromSeconds(5));
        Take(quota);

        time.Advance(TimeSpan.FromSeconds(6)); // the two from t=0 have left the window, the one from t=5 has not

        Assert.Equal(1, quota.Used);
        Assert.True(Take(quota).IsGranted);
        Assert.True(Take(quota).IsGranted);
        var refused = Take(quota);
        Assert.False(refused.IsGranted);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(6));
    }

    [Fact]
    public void SlidingWindowQuota_AfterALongIdle_StartsEmpty()
    {
        var time = new FakeTimeProvider();
        var quota = new SlidingWindowQuota(2, TimeSpan.FromHours(24), time);
        Take(quota);
        Take(quota);

        time.Advance(TimeSpan.FromDays(30));

        Assert.Equal(0, quota.Used);
        Assert.True(Take(quota).IsGranted);
    }

    [Fact]
    public void SlidingWindowQuota_NeverGrantsMoreThanTheLimitAcrossThreads()
    {
        var quota = new SlidingWindowQuota(10_000, TimeSpan.FromHours(24));
        int granted = 0;

        Parallel.For(0, 20_000, _ =>
        {
            if (Take(quota).IsGranted)
            {
                Interlocked.Increment(ref granted);
            }
        });

        Assert.Equal(10_000, granted);
    }

    [Fact]
    public async Task UpdateAsync_QuotaSpent_FailsFastAndSendsNothing()
    {
        var (client, handler, _) = TestClients.Create(o => o.Quota.PermitLimit = 2, timeProvider: new FakeTimeProvider());

        await client.UpdateAsync(Update(1));
        await client.UpdateAsync(Update(2));
        var ex = await Assert.ThrowsAsync<ProfileApiRateLimitedException>(() => client.UpdateAsync(Update(3)));

        Assert.Equal(2, handler.Requests.Count);
        Assert.Null(ex.StatusCode);
        Assert.Equal(0, ex.Attempts);
        Assert.True(ex.RetryAfter > TimeSpan.FromHours(23));
    }

    [Fact]
    public async Task UpdateAsync_EachRetryTakesAPermit_AndAQuotaRefusalIsNotRetried()
    {
        var handler = new RecordingHandler().Always(() => RecordingHandler.Text(HttpStatusCode.ServiceUnavailable, "busy"));
        var (client, _, _) = TestClients.Create(o => o.Quota.PermitLimit = 2, handler);

        var ex = await Assert.ThrowsAsync<ProfileApiRateLimitedException>(() => client.UpdateAsync(Update()));

        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(2, ex.Attempts);
        Assert.Null(ex.StatusCode);
    }

    [Fact]
    public async Task UpdateAsync_QuotaDisabled_SendsBeyondTheLimit()
    {
        var (client, handler, _) = TestClients.Create(o => { o.Quota.PermitLimit = 1; o.Quota.Enabled = false; });

        await client.UpdateAsync(Update(1));
        await client.UpdateAsync(Update(2));

        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task UpdateAsync_UsesTheQuotaPluggedIntoTheBuilder()
    {
        var shared = new CountingQuota(grant: 1);
        var (client, handler, _) = TestClients.Create(account: a => a.UseQuota(_ => shared));

        await client.UpdateAsync(Update(1));
        var ex = await Assert.ThrowsAsync<ProfileApiRateLimitedException>(() => client.UpdateAsync(Update(2)));

        Assert.Equal(2, shared.Calls);
        Assert.Single(handler.Requests);
        Assert.Equal(TimeSpan.FromMinutes(7), ex.RetryAfter);
    }

    [Fact]
    public async Task UpdateAsync_WithPacing_SpacesAttemptsOnTheClock()
    {
        var time = new TimerWatchingTimeProvider();
        var (client, handler, _) = TestClients.Create(o => o.Quota.RequestsPerSecond = 0.5, timeProvider: time);

        await client.UpdateAsync(Update(1));
        var second = client.UpdateAsync(Update(2));
        await TestClients.AdvanceUntilAsync(time, () => false, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(1900));
        Assert.Single(handler.Requests);

        await TestClients.AdvanceUntilAsync(time, () => handler.Requests.Count == 2, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
        await second;
        Assert.Equal(2, handler.Requests.Count);
    }

    private sealed class CountingQuota(int grant) : RateLimiter
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public override TimeSpan? IdleDuration => null;

        public override RateLimiterStatistics? GetStatistics() => null;

        protected override RateLimitLease AttemptAcquireCore(int permitCount) => Next();

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) => new(Next());

        private Lease Next() => Interlocked.Increment(ref _calls) <= grant ? new Lease(true) : new Lease(false);

        private sealed class Lease(bool acquired) : RateLimitLease
        {
            public override bool IsAcquired => acquired;

            public override IEnumerable<string> MetadataNames => acquired ? [] : [MetadataName.RetryAfter.Name];

            public override bool TryGetMetadata(string metadataName, out object? metadata)
            {
                metadata = !acquired && metadataName == MetadataName.RetryAfter.Name ? TimeSpan.FromMinutes(7) : null;
                return metadata is not null;
            }
        }
    }
}
