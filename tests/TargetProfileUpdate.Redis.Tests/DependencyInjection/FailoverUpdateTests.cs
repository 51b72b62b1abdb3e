using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using TargetProfileUpdate.Emulator;
using TargetProfileUpdate.Redis.Tests.TestSupport;

namespace TargetProfileUpdate.Redis.Tests.DependencyInjection;

/// <summary>
/// Redis is killed in the middle of a real batch (the batch's source kills it after its 20th update; one update in
/// flight at a time, so the split is exact), then restarted. Each test owns its Redis, because each kills it.
/// </summary>
[Trait("Category", "Slow")] // a real redis-server
public sealed class FailoverUpdateTests
{
    private const int BeforeKill = 20;

    [Fact]
    public async Task FailOpen_RedisKilledMidBatch_ContinuesUnderTheLocalLimit_ThenResumesOnRedisAfterRestart()
    {
        using var redis = new RedisServer();
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, ClientCode = "acme" });
        RedisClients.Seed(emulator);
        await using ServiceProvider services = RedisClients.Create(emulator.BaseAddress, "acme", o =>
        {
            o.ConnectionString = redis.ConnectionString;
            o.WhenRedisUnavailable = RedisUnavailableBehavior.FailOpenWithLocalLimit;
            o.LocalFallbackFraction = 0.01; // 10 updates per process while Redis is away (1% of the account's 1,000)
            o.OperationTimeout = TimeSpan.FromSeconds(5); // generous: only the updates before the kill wait on it (a killed connection fails at once)
            o.UnavailableRetryInterval = TimeSpan.FromMilliseconds(100);
        },
        account: a => a.Quota.PermitLimit = 1_000);
        var client = services.GetRequiredService<IProfileUpdateClient>();

        ProfileBatchResult during = await client.UpdateManyAsync(KillingRedisAfter(BeforeKill, redis, RedisClients.Updates(60)), new ProfileBatchOptions { MaxConcurrency = 1 });

        AssertAccounted(during, submitted: 60, accepted: BeforeKill + 10);
        AssertRefusedBeforeSending(during.Failures, retryAfter: null);
        Assert.Equal(BeforeKill + 10, emulator.AppliedUpdates);
        Assert.Equal(BeforeKill + 10, emulator.GetRequests().Count);

        redis.Start();
        await UpdateUntilAcceptedAsync(client);
        ProfileBatchResult after = await client.UpdateManyAsync(RedisClients.Updates(50), new ProfileBatchOptions { MaxConcurrency = 8 });

        // The local share (10) is used up for the whole window, so every update accepted now was granted by Redis.
        AssertAccounted(after, submitted: 50, accepted: 50);
        Assert.Equal(BeforeKill + 10 + 1 + 50, emulator.AppliedUpdates);
        Assert.True(services.GetRequiredKeyedService<RedisAccountLimits>("").IsRedisAvailable);
        await using ConnectionMultiplexer admin = await Limits.AdminAsync(redis);
        Assert.Equal(1 + 50, await Limits.CountedAsync(admin, "targetprofileupdate:acme:quota"));
    }

    [Fact]
    public async Task FailClosed_RedisKilledMidBatch_RefusesTheRestCleanly_NothingSent_ThenSendsAgainAfterRestart()
    {
        using var redis = new RedisServer();
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, ClientCode = "acme" });
        RedisClients.Seed(emulator);
        await using ServiceProvider services = RedisClients.Create(emulator.BaseAddress, "acme", o =>
        {
            o.ConnectionString = redis.ConnectionString;
            o.WhenRedisUnavailable = RedisUnavailableBehavior.FailClosed;
            o.OperationTimeout = TimeSpan.FromSeconds(5); // generous: only the updates before the kill wait on it (a killed connection fails at once)
            o.UnavailableRetryInterval = TimeSpan.FromMilliseconds(100);
        });
        var client = services.GetRequiredService<IProfileUpdateClient>();

        ProfileBatchResult during = await client.UpdateManyAsync(KillingRedisAfter(BeforeKill, redis, RedisClients.Updates(60)), new ProfileBatchOptions { MaxConcurrency = 1 });

        AssertAccounted(during, submitted: 60, accepted: BeforeKill);
        AssertRefusedBeforeSending(during.Failures, retryAfter: TimeSpan.FromMilliseconds(100));
        Assert.Equal(BeforeKill, emulator.AppliedUpdates);
        Assert.Equal(BeforeKill, emulator.GetRequests().Count);

        redis.Start();
        await UpdateUntilAcceptedAsync(client);
        ProfileBatchResult after = await client.UpdateManyAsync(RedisClients.Updates(30), new ProfileBatchOptions { MaxConcurrency = 8 });

        AssertAccounted(after, submitted: 30, accepted: 30);
        await using ConnectionMultiplexer admin = await Limits.AdminAsync(redis);
        Assert.Equal(1 + 30, await Limits.CountedAsync(admin, "targetprofileupdate:acme:quota"));
    }

    [Fact]
    public async Task FailClosed_RedisNeverReachable_RefusesEveryUpdateWithRateLimited_AndTheEmulatorReceivesNothing()
    {
        string unreachable;
        using (var stopped = new RedisServer())
        {
            unreachable = stopped.ConnectionString.Replace("connectTimeout=1000", "connectTimeout=300", StringComparison.Ordinal);
        }

        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { PropagationDelay = TimeSpan.Zero, BatchProcessingDelay = TimeSpan.Zero, ClientCode = "acme" });
        RedisClients.Seed(emulator);
        await using ServiceProvider services = RedisClients.Create(emulator.BaseAddress, "acme", o =>
        {
            o.ConnectionString = unreachable;
            o.WhenRedisUnavailable = RedisUnavailableBehavior.FailClosed;
            o.UnavailableRetryInterval = TimeSpan.FromSeconds(2);
        });
        var client = services.GetRequiredService<IProfileUpdateClient>();

        ProfileBatchResult result = await client.UpdateManyAsync(RedisClients.Updates(25), new ProfileBatchOptions { MaxConcurrency = 4 });
        var single = await Assert.ThrowsAsync<ProfileApiRateLimitedException>(() => client.UpdateAsync(RedisClients.Updates(1).Single()));

        AssertAccounted(result, submitted: 25, accepted: 0);
        AssertRefusedBeforeSending(result.Failures, retryAfter: TimeSpan.FromSeconds(2));
        Assert.Null(single.StatusCode);
        Assert.Equal(0, single.Attempts);
        Assert.Equal(TimeSpan.FromSeconds(2), single.RetryAfter);
        Assert.Empty(emulator.GetRequests());
        Assert.Equal(0, emulator.AppliedUpdates);
    }

    private static void AssertAccounted(ProfileBatchResult result, long submitted, long accepted)
    {
        Assert.Equal(submitted, result.Submitted);
        Assert.Equal(result.Submitted, result.Accepted + result.Failed + result.NotSent);
        Assert.Equal(accepted, result.Accepted);
        Assert.Equal(0, result.NotSent);
        Assert.Equal(result.Failed, result.Failures.Count);
    }

    /// <summary>Every failure is a refusal by the limiter: rate limited, no status, no attempt sent, a RetryAfter.</summary>
    private static void AssertRefusedBeforeSending(IReadOnlyList<ProfileUpdateFailure> failures, TimeSpan? retryAfter) =>
        Assert.All(failures, f =>
        {
            var limited = Assert.IsType<ProfileApiRateLimitedException>(f.Exception);
            Assert.Null(limited.StatusCode);
            Assert.Equal(0, limited.Attempts);
            Assert.NotNull(limited.RetryAfter);
            Assert.True(limited.RetryAfter > TimeSpan.Zero);
            if (retryAfter is not null)
            {
                Assert.Equal(retryAfter, limited.RetryAfter);
            }
        });

    /// <summary>Yields <paramref name="count"/> updates, kills Redis, then yields the rest.</summary>
    private static IEnumerable<ProfileUpdate> KillingRedisAfter(int count, RedisServer redis, IEnumerable<ProfileUpdate> updates)
    {
        int yielded = 0;
        foreach (ProfileUpdate update in updates)
        {
            if (yielded++ == count)
            {
                redis.Kill();
            }

            yield return update;
        }
    }

    /// <summary>Sends one update at a time until one is accepted (Redis is back); returns how many were tried.</summary>
    private static async Task<int> UpdateUntilAcceptedAsync(IProfileUpdateClient client)
    {
        var deadline = Stopwatch.StartNew();
        for (int tries = 1; ; tries++)
        {
            try
            {
                await client.UpdateAsync(RedisClients.Updates(1).Single());
                return tries;
            }
            catch (ProfileApiRateLimitedException ex) when (ex.Attempts == 0)
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "Updates did not flow through Redis within 30 s of its restart.");
                await Task.Delay(50); // polls a real redis-server coming back (no fake clock), bounded by the 30 s deadline above
            }
        }
    }
}
