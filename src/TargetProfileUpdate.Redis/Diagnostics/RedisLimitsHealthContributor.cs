using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace TargetProfileUpdate.Redis.Diagnostics;

/// <summary>Reports Redis limits to the account's health check: Degraded while they fail open (each instance counts alone),
/// Unhealthy while they fail closed (updates are refused).</summary>
internal sealed class RedisLimitsHealthContributor([ServiceKey] string account, IServiceProvider services) : IProfileUpdateHealthContributor
{
    private readonly RedisAccountLimits limits = services.GetRequiredKeyedService<RedisAccountLimits>(account);
    private readonly RedisUnavailableBehavior behavior = services.GetRequiredService<IOptionsMonitor<RedisLimitOptions>>().Get(account).WhenRedisUnavailable;

    public Task<HealthCheckResult> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        if (limits.IsRedisAvailable)
        {
            return Task.FromResult(HealthCheckResult.Healthy(data: new Dictionary<string, object> { ["redis.limits"] = "shared" }));
        }

        return Task.FromResult(behavior == RedisUnavailableBehavior.FailClosed
            ? HealthCheckResult.Unhealthy("Redis limits are unavailable and fail closed: updates are refused", data: new Dictionary<string, object> { ["redis.limits"] = "fail-closed" })
            : HealthCheckResult.Degraded("Redis limits are unavailable and run in fail-open: each instance counts its own share of the limits", data: new Dictionary<string, object> { ["redis.limits"] = "fail-open" }));
    }
}
