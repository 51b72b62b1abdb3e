using System.Diagnostics;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using TargetProfileUpdate.Redis.Tests.TestSupport;

namespace TargetProfileUpdate.Redis.Tests;

/// <summary>Each test owns its Redis, because each kills it.</summary>
[Trait("Category", "Slow")] // a real redis-server
public sealed class FailoverTests
{
    [Fact]
    public async Task FailOpen_WhenRedisIsKilled_ContinuesUnderTheLocalLimit_WarnsOnce_AndResumesOnRedisAfterRestart()
    {
        using var redis = new RedisServer();
        using var services = new TestServices();
        await using var limits = new RedisAccountLimits(
            Limits.Options(redis, o =>
            {
                o.WhenRedisUnavailable = RedisUnavailableBehavior.FailOpenWithLocalLimit;
                o.LocalFallbackFraction = 0.01; // 10 permits per process while Redis is away
                o.OperationTimeout = TimeSpan.FromSeconds(5); // generous: only the permits before the kill wait on it (a killed connection fails at once)
                o.UnavailableRetryInterval = TimeSpan.FromMilliseconds(100);
            }),
            Limits.Account("acme", 1_000),
            services);
        RateLimitLease[] shared = await Limits.AcquireConcurrentlyAsync(limits.Quota, 5);
        Assert.All(shared, l => Assert.True(l.IsAcquired));

        redis.Kill();
        RateLimitLease[] duringOutage = await Limits.AcquireConcurrentlyAsync(limits.Quota, 40);

        Assert.False(limits.IsRedisAvailable);
        Assert.Equal(10, duringOutage.Count(l => l.IsAcquired));
        Assert.All(duringOutage.Where(l => !l.IsAcquired), l =>
        {
            Assert.Contains("local share", Limits.Reason(l), StringComparison.Ordinal);
            Assert.True(Limits.RetryAfter(l) > TimeSpan.Zero);
        });
        Assert.Single(services.Logs, e => e.Level == LogLevel.Warning);
        Assert.Equal(1, services.Counter("target.profile_update.redis.outages"));
        Assert.Equal(10, services.Counter("target.profile_update.redis.unshared_decisions|limiter=quota|decision=local_granted"));
        Assert.Equal(30, services.Counter("target.profile_update.redis.unshared_decisions|limiter=quota|decision=local_refused"));

        redis.Start();
        await using ConnectionMultiplexer admin = await Limits.AdminAsync(redis);
        var deadline = Stopwatch.StartNew();
        while (await Limits.CountedAsync(admin, limits.KeyPrefix + "quota") == 0)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "The limiter did not return to Redis within 30 s of its restart.");
            (await limits.Quota.AcquireAsync(1)).Dispose();
            await Task.Delay(50); // polls a real redis-server coming back (no fake clock); the limiter raises no event for it, only logs
        }

        Assert.True(limits.IsRedisAvailable);
        Assert.Single(services.Logs, e => e.Level == LogLevel.Information && e.Id.Name == "RedisLimitsAvailable");
        Assert.Single(services.Logs, e => e.Level == LogLevel.Warning);
        // Back on Redis, the account's whole limit is shared again (not the local 10).
        RateLimitLease[] afterRestart = await Limits.AcquireConcurrentlyAsync(limits.Quota, 50);
        Assert.All(afterRestart, l => Assert.True(l.IsAcquired));
    }

    [Fact]
    public async Task FailClosed_WhenRedisIsKilled_RefusesEveryPermitWithAReason_AndGrantsAgainAfterRestart()
    {
        using var redis = new RedisServer();
        using var services = new TestServices();
        await using var limits = new RedisAccountLimits(
            Limits.Options(redis, o =>
            {
                o.WhenRedisUnavailable = RedisUnavailableBehavior.FailClosed;
                o.OperationTimeout = TimeSpan.FromSeconds(5); // generous: only the permits before the kill wait on it (a killed connection fails at once)
                o.UnavailableRetryInterval = TimeSpan.FromMilliseconds(100);
            }),
            Limits.Account("acme"),
            services);
        Assert.True((await limits.Quota.AcquireAsync(1)).IsAcquired);

        redis.Kill();
        RateLimitLease[] quota = await Limits.AcquireConcurrentlyAsync(limits.Quota, 20);
        RateLimitLease[] bulk = await Limits.AcquireConcurrentlyAsync(limits.Bulk, 5);

        Assert.All(quota.Concat(bulk), l =>
        {
            Assert.False(l.IsAcquired);
            Assert.Contains("fail closed", Limits.Reason(l), StringComparison.Ordinal);
            Assert.Equal(TimeSpan.FromMilliseconds(100), Limits.RetryAfter(l));
        });
        Assert.Single(services.Logs, e => e.Level == LogLevel.Warning);
        Assert.Equal(20, services.Counter("target.profile_update.redis.unshared_decisions|limiter=quota|decision=refused_closed"));
        Assert.Equal(5, services.Counter("target.profile_update.redis.unshared_decisions|limiter=bulk|decision=refused_closed"));

        redis.Start();
        var deadline = Stopwatch.StartNew();
        while (!(await limits.Quota.AcquireAsync(1)).IsAcquired)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "The limiter did not grant again within 30 s of Redis's restart.");
            await Task.Delay(50); // polls a real redis-server coming back (no fake clock); refusals until then carry no event to await
        }

        Assert.True(limits.IsRedisAvailable);
    }

    [Fact]
    public async Task FailOpen_WhenRedisIsSlow_DecidesLocallyAfterTheOperationTimeout()
    {
        using var redis = new RedisServer();
        using var services = new TestServices();
        await using var limits = new RedisAccountLimits(
            Limits.Options(redis, o =>
            {
                o.WhenRedisUnavailable = RedisUnavailableBehavior.FailOpenWithLocalLimit;
                o.OperationTimeout = TimeSpan.FromSeconds(1);
            }),
            Limits.Account("acme"),
            services);
        Assert.True((await limits.Quota.AcquireAsync(1)).IsAcquired);
        Assert.True(limits.IsRedisAvailable);
        await using ConnectionMultiplexer admin = await Limits.AdminAsync(redis);

        // Redis holds every client's commands for 4 s (this test's UNPAUSE too, which must fit its own 5 s timeout): far longer than the 1 s the limiter waits.
        await admin.GetServers().Single().ExecuteAsync("CLIENT", "PAUSE", "4000", "ALL");
        using RateLimitLease lease = await limits.Quota.AcquireAsync(1);

        Assert.True(lease.IsAcquired);
        Assert.False(limits.IsRedisAvailable);
        Assert.Equal(1, services.Counter("target.profile_update.redis.unshared_decisions|limiter=quota|decision=local_granted"));
        Assert.Contains(services.Logs, e => e.Level == LogLevel.Warning && e.Message.Contains("TimeoutException", StringComparison.Ordinal));
        await admin.GetServers().Single().ExecuteAsync("CLIENT", "UNPAUSE");
    }

    [Fact]
    public async Task Logs_NeverContainTheConnectionStringOrItsPassword()
    {
        using var redis = new RedisServer();
        using var services = new TestServices();
        const string password = "s3cret-Pa55word";
        await using var limits = new RedisAccountLimits(
            Limits.Options(redis, o =>
            {
                o.ConnectionString = redis.ConnectionString + ",password=" + password;
                o.WhenRedisUnavailable = RedisUnavailableBehavior.FailOpenWithLocalLimit;
                o.UnavailableRetryInterval = TimeSpan.FromMilliseconds(50);
            }),
            Limits.Account("acme"),
            services);

        // The server has no password, so AUTH fails; then Redis goes away altogether.
        await Limits.AcquireConcurrentlyAsync(limits.Quota, 3);
        redis.Kill();
        await Limits.AcquireConcurrentlyAsync(limits.Quota, 3);

        Assert.NotEmpty(services.Logs);
        Assert.All(services.Logs, e =>
        {
            Assert.DoesNotContain(password, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(redis.Endpoint, e.Message, StringComparison.Ordinal);
        });
    }
}
