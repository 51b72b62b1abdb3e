using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TargetProfileUpdate.Emulator;
using TargetProfileUpdate.Redis.Tests.TestSupport;

namespace TargetProfileUpdate.Redis.Tests.Delivery;

/// <summary>The account health check with Redis limits (issue #21 item 3). Each test owns its Redis, because each kills it.</summary>
[Trait("Category", "Slow")]
public sealed class RedisHealthTests
{
    [Theory]
    [InlineData(RedisUnavailableBehavior.FailOpenWithLocalLimit, HealthStatus.Degraded, "fail-open")]
    [InlineData(RedisUnavailableBehavior.FailClosed, HealthStatus.Unhealthy, "fail-closed")]
    public async Task Health_WhenRedisLimitsLoseRedis_ReportsTheirFallback(RedisUnavailableBehavior behavior, HealthStatus expected, string state)
    {
        using var redis = new RedisServer();
        await using var emulator = await TargetEmulator.StartAsync();
        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(o => RedisClients.Configure(o, emulator.BaseAddress, emulator.ClientCode))
            .UseRedisLimits(o =>
            {
                o.ConnectionString = redis.ConnectionString;
                o.KeyPrefix = $"test:{Guid.NewGuid():N}:{{clientCode}}:";
                o.WhenRedisUnavailable = behavior;
                // Generous: on a loaded CI machine a 1 s budget let the first script evaluation time out, so the account
                // was already "fail-open" before Redis was killed. The outage itself is noticed when the killed
                // connection's backlogged command times out, so this only lengthens the outage half of the test.
                o.OperationTimeout = TimeSpan.FromSeconds(5);
            });
        services.AddHealthChecks().AddTargetProfileUpdate();
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IProfileUpdateClient>();
        var health = provider.GetRequiredService<HealthCheckService>();

        await client.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-1").Set("a", "1"));
        var shared = await health.CheckHealthAsync();
        redis.Kill();
        try
        {
            await client.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-1").Set("a", "2"));
        }
        catch (ProfileApiRateLimitedException) when (behavior == RedisUnavailableBehavior.FailClosed)
        {
        }

        var outage = await health.CheckHealthAsync();

        Assert.Equal("shared", shared.Entries["targetprofileupdate"].Data["redis.limits"]);
        Assert.Equal(HealthStatus.Healthy, shared.Status);
        Assert.Equal(expected, outage.Status);
        Assert.Equal(state, outage.Entries["targetprofileupdate"].Data["redis.limits"]);
    }
}
