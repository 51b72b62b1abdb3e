using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using TargetProfileUpdate.Emulator;
using TargetProfileUpdate.Redis.Tests.TestSupport;

namespace TargetProfileUpdate.Redis.Tests;

/// <summary>Issue 19 item 17, against a real <c>redis-server</c>: each test is named after what broke.</summary>
[Trait("Category", "Slow")]
public sealed class RedisRegressionTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task ClientCodes_AcmeAndACME_AreOneAdobeAccount_AndShareOneCount()
    {
        RedisLimitOptions options = Limits.Options(redis);
        await using var lower = new RedisAccountLimits(options, Limits.Account("acme", 4));
        await using var upper = new RedisAccountLimits(options, Limits.Account("Acme", 4));

        RateLimitLease[] a = await Limits.AcquireConcurrentlyAsync(lower.Quota, 3);
        RateLimitLease[] b = await Limits.AcquireConcurrentlyAsync(upper.Quota, 3);

        Assert.Equal(lower.KeyPrefix, upper.KeyPrefix);
        Assert.Equal(4, a.Concat(b).Count(l => l.IsAcquired));
    }

    [Fact]
    public async Task WrongTypeKey_IsAnErrorNamingTheKey_NotRedisUnavailable()
    {
        using var services = new TestServices();
        await using var limits = new RedisAccountLimits(Limits.Options(redis), Limits.Account("acme", 10), services);
        await using ConnectionMultiplexer admin = await Limits.AdminAsync(redis);
        await admin.GetDatabase().StringSetAsync(limits.KeyPrefix + "quota", "another application's value");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await limits.Quota.AcquireAsync(1));

        Assert.Contains("'" + limits.KeyPrefix + "quota' holds a value of another type", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("unavailable", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.True(limits.IsRedisAvailable);
        Assert.Equal(0, services.Counter("target.profile_update.redis.outages"));
        Assert.Equal(1, services.Counter("target.profile_update.redis.misconfigurations"));
        Assert.Contains(services.Logs, l => l.Level == LogLevel.Error && l.Id.Name == "RedisLimitsMisconfigured");
        Assert.DoesNotContain(services.Logs, l => l.Id.Name == "RedisLimitsUnavailable");

        // The bulk key is untouched and still works.
        using RateLimitLease bulk = await limits.Bulk.AcquireAsync(1);
        Assert.True(bulk.IsAcquired);
    }

    [Fact]
    public async Task WrongPassword_IsAnAuthenticationError_NotARateLimit()
    {
        using var secured = RedisServer.WithPassword("right-password");
        using var services = new TestServices();
        foreach (RedisUnavailableBehavior behavior in Enum.GetValues<RedisUnavailableBehavior>())
        {
            await using var limits = new RedisAccountLimits(
                Limits.Options(secured, o => { o.ConnectionString = secured.ConnectionString + ",password=wrong-password"; o.WhenRedisUnavailable = behavior; }),
                Limits.Account("acme", 10),
                services);

            // The first permit may race the connection's handshake (Redis not known to refuse yet): fail open may grant it
            // locally, but no permit is ever refused as if rate limited; once Redis has refused, every permit says why.
            InvalidOperationException? ex = null;
            for (int i = 0; i < 20 && ex is null; i++)
            {
                try
                {
                    using RateLimitLease lease = await limits.Quota.AcquireAsync(1);
                    Assert.True(lease.IsAcquired, "A permit was refused as if rate limited.");
                    Assert.Equal(RedisUnavailableBehavior.FailOpenWithLocalLimit, behavior);
                    await Task.Delay(50); // real Redis, real time (no fake clock): gives the multiplexer's handshake time to be refused
                }
                catch (InvalidOperationException e)
                {
                    ex = e;
                }
            }

            Assert.NotNull(ex);
            await Assert.ThrowsAsync<InvalidOperationException>(async () => await limits.Quota.AcquireAsync(1));

            Assert.Contains("authentication failed", ex.Message, StringComparison.Ordinal);
            Assert.Contains("RedisLimitOptions.ConnectionString", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("wrong-password", ex.ToString(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(services.Logs, l => l.Message.Contains("wrong-password", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WrongPassword_ThroughTheClient_IsNotReportedAsRateLimited_AndNothingIsSent()
    {
        using var secured = RedisServer.WithPassword("right-password");
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { ClientCode = "acme" });
        RedisClients.Seed(emulator);
        await using ServiceProvider services = RedisClients.Create(emulator.BaseAddress, "acme", o => o.ConnectionString = secured.ConnectionString + ",password=wrong-password");

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => services.GetRequiredService<IProfileUpdateClient>().UpdateAsync(RedisClients.Updates(1).Single()));

        Assert.IsNotType<ProfileApiRateLimitedException>(ex);
        Assert.Contains("authentication failed", ex.ToString(), StringComparison.Ordinal);
        Assert.Empty(emulator.GetRequests());
    }

    [Fact]
    public async Task QuotaDisabledOnTheAccount_UseRedisLimits_AddsNoQuota()
    {
        await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { ClientCode = "acme" });
        RedisClients.Seed(emulator);
        await using ServiceProvider services = RedisClients.Create(
            emulator.BaseAddress,
            "acme",
            o => { o.ConnectionString = redis.ConnectionString; o.KeyPrefix = "disabled:{clientCode}:"; },
            account: a => { a.Quota.Enabled = false; a.Quota.PermitLimit = 1; });

        ProfileBatchResult result = await services.GetRequiredService<IProfileUpdateClient>().UpdateManyAsync(RedisClients.Updates(3));

        Assert.Equal(3, result.Accepted);
        await using ConnectionMultiplexer admin = await Limits.AdminAsync(redis);
        Assert.False(await admin.GetDatabase().KeyExistsAsync("disabled:acme:quota"));
    }
}
