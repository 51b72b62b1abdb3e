using System.Threading.RateLimiting;
using StackExchange.Redis;
using TargetProfileUpdate.Redis.Tests.TestSupport;

namespace TargetProfileUpdate.Redis.Tests;

[Trait("Category", "Slow")] // a real redis-server
public sealed class DistributedLimitTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task Quota_UnderHeavyConcurrency_GrantsExactlyTheLimit()
    {
        await using var limits = new RedisAccountLimits(Limits.Options(redis), Limits.Account("acme", 500));

        RateLimitLease[] leases = await Limits.AcquireConcurrentlyAsync(limits.Quota, 2_000);

        Assert.Equal(500, leases.Count(l => l.IsAcquired));
        Assert.All(leases.Where(l => !l.IsAcquired), l => Assert.Contains("used up across all instances", Limits.Reason(l), StringComparison.Ordinal));
        Assert.True(limits.IsRedisAvailable);
        await using ConnectionMultiplexer admin = await Limits.AdminAsync(redis);
        Assert.Equal(500, await Limits.CountedAsync(admin, limits.KeyPrefix + "quota"));
    }

    [Fact]
    public async Task Bulk_GrantsFiftyPerMinuteByDefault()
    {
        await using var limits = new RedisAccountLimits(Limits.Options(redis), Limits.Account("acme"));

        RateLimitLease[] leases = await Limits.AcquireConcurrentlyAsync(limits.Bulk, 80);

        Assert.Equal(50, leases.Count(l => l.IsAcquired));
        Assert.All(leases.Where(l => !l.IsAcquired), l => Assert.InRange(Limits.RetryAfter(l), TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(61)));
    }

    [Fact]
    public async Task Quota_TwoInstancesOfOneAccount_ShareOneCount()
    {
        RedisLimitOptions options = Limits.Options(redis);
        const int Limit = 10;
        await using var first = new RedisAccountLimits(options, Limits.Account("acme", Limit));
        await using var second = new RedisAccountLimits(options, Limits.Account("acme", Limit));

        RateLimitLease[] a = await Limits.AcquireConcurrentlyAsync(first.Quota, 8);
        RateLimitLease[] b = await Limits.AcquireConcurrentlyAsync(second.Quota, 8);

        Assert.Equal(10, a.Concat(b).Count(l => l.IsAcquired));
    }

    [Fact]
    public async Task Quota_DifferentClientCodes_GetSeparateKeysAndCounts()
    {
        RedisLimitOptions options = Limits.Options(redis);
        const int Limit = 3;
        await using var acme = new RedisAccountLimits(options, Limits.Account("acme", Limit));
        await using var globex = new RedisAccountLimits(options, Limits.Account("globex", Limit));

        RateLimitLease[] a = await Limits.AcquireConcurrentlyAsync(acme.Quota, 5);
        RateLimitLease[] g = await Limits.AcquireConcurrentlyAsync(globex.Quota, 5);

        Assert.NotEqual(acme.KeyPrefix, globex.KeyPrefix);
        Assert.EndsWith(":acme:", acme.KeyPrefix, StringComparison.Ordinal);
        Assert.Equal(3, a.Count(l => l.IsAcquired));
        Assert.Equal(3, g.Count(l => l.IsAcquired));
    }

    [Fact]
    public async Task Quota_Refusal_CarriesRetryAfterUntilTheOldestBucketLeaves_AndThePermitComesBackThen()
    {
        // A 2 s window in 1 s buckets: a permit counts until its whole bucket has left the window (2 to 3 s).
        await using var limits = new RedisAccountLimits(
            Limits.Options(redis, o => o.QuotaBucket = TimeSpan.FromSeconds(1)),
            Limits.Account("acme", 3, TimeSpan.FromSeconds(2)));
        for (int i = 0; i < 3; i++)
        {
            using RateLimitLease granted = await limits.Quota.AcquireAsync(1);
            Assert.True(granted.IsAcquired);
        }

        using RateLimitLease refused = await limits.Quota.AcquireAsync(1);
        Assert.False(refused.IsAcquired);
        TimeSpan retryAfter = Limits.RetryAfter(refused);
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));

        // The window is kept by redis-server's own clock, which no fake clock can move: waiting the real Retry-After is the test.
        await Task.Delay(retryAfter + TimeSpan.FromMilliseconds(20));

        using RateLimitLease afterWaiting = await limits.Quota.AcquireAsync(1);
        Assert.True(afterWaiting.IsAcquired);
    }

    [Fact]
    public async Task Quota_ZeroPermits_ReportsWhetherAnyIsLeftWithoutTakingOne()
    {
        await using var limits = new RedisAccountLimits(Limits.Options(redis), Limits.Account("acme", 1));

        using RateLimitLease probe = await limits.Quota.AcquireAsync(0);
        using RateLimitLease one = await limits.Quota.AcquireAsync(1);
        using RateLimitLease probeAfter = await limits.Quota.AcquireAsync(0);

        Assert.True(probe.IsAcquired);
        Assert.True(one.IsAcquired);
        Assert.False(probeAfter.IsAcquired);
        Assert.True(Limits.RetryAfter(probeAfter) > TimeSpan.Zero);
    }

    [Fact]
    public async Task Quota_MorePermitsThanTheLimit_ThrowsNamingTheLimit()
    {
        await using var limits = new RedisAccountLimits(Limits.Options(redis), Limits.Account("acme", 5));

        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await limits.Quota.AcquireAsync(6));

        Assert.Equal("permitCount", ex.ParamName);
        Assert.Contains("limit is 5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_AfterManyAcquisitionsAcrossBuckets_AreConstantInNumberAndAllHaveATtl()
    {
        // 200 ms buckets in a 600 ms window: two seconds of traffic crosses ten buckets.
        await using var limits = new RedisAccountLimits(
            Limits.Options(redis, o => o.QuotaBucket = TimeSpan.FromMilliseconds(200)),
            Limits.Account("acme", 1_000_000, TimeSpan.FromMilliseconds(600)));
        await using ConnectionMultiplexer admin = await Limits.AdminAsync(redis);
        (await limits.Quota.AcquireAsync(1)).Dispose();
        (await limits.Bulk.AcquireAsync(1)).Dispose();
        Dictionary<string, TimeSpan?> before = await Limits.KeysAsync(admin, limits.KeyPrefix);

        long maxFields = 0;
        var traffic = System.Diagnostics.Stopwatch.StartNew();
        while (traffic.Elapsed < TimeSpan.FromSeconds(2))
        {
            await Limits.AcquireConcurrentlyAsync(limits.Quota, 20);
            maxFields = Math.Max(maxFields, await admin.GetDatabase().HashLengthAsync(limits.KeyPrefix + "quota"));
        }

        Dictionary<string, TimeSpan?> after = await Limits.KeysAsync(admin, limits.KeyPrefix);

        // The quota key lives for about one 600 ms window: on a loaded machine it may already have expired when a snapshot
        // is taken, so each snapshot may lack it, but no snapshot ever holds another key or a key without a TTL.
        string[] expected = [limits.KeyPrefix + "bulk", limits.KeyPrefix + "quota"];
        Assert.Contains(limits.KeyPrefix + "bulk", before.Keys);
        Assert.All(before.Keys.Concat(after.Keys), key => Assert.Contains(key, expected));
        Assert.All(before.Values.Concat(after.Values), ttl => Assert.NotNull(ttl));
        if (after.TryGetValue(limits.KeyPrefix + "quota", out TimeSpan? quotaTtl))
        {
            Assert.InRange(quotaTtl!.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1_000));
        }

        Assert.InRange(maxFields, 1, 6); // the window's 3 buckets, the current one, the total and the oldest bucket
    }

    [Fact]
    public async Task Statistics_CountGrantsAndRefusals()
    {
        await using var limits = new RedisAccountLimits(Limits.Options(redis), Limits.Account("acme", 4));

        await Limits.AcquireConcurrentlyAsync(limits.Quota, 6);

        RateLimiterStatistics statistics = limits.Quota.GetStatistics()!;
        Assert.Equal(4, statistics.TotalSuccessfulLeases);
        Assert.Equal(2, statistics.TotalFailedLeases);
        Assert.Equal(0, statistics.CurrentAvailablePermits);
    }
}
