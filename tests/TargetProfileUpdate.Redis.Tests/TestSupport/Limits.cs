using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace TargetProfileUpdate.Redis.Tests.TestSupport;

public static class Limits
{
    /// <summary>Options for tests: a unique prefix per test, and a long timeout so a busy machine never falls back by accident.</summary>
    public static RedisLimitOptions Options(RedisServer redis, Action<RedisLimitOptions>? configure = null)
    {
        var options = new RedisLimitOptions
        {
            ConnectionString = redis.ConnectionString,
            KeyPrefix = $"test:{Guid.NewGuid():N}:{{clientCode}}:",
            OperationTimeout = TimeSpan.FromSeconds(5),
            WhenRedisUnavailable = RedisUnavailableBehavior.FailClosed,
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>The account whose limits the Redis limiters enforce: its client code and its own Quota settings.</summary>
    public static TargetProfileUpdateOptions Account(string clientCode, int permitLimit = 1_000_000, TimeSpan? window = null)
    {
        var account = new TargetProfileUpdateOptions { ClientCode = clientCode };
        account.Quota.PermitLimit = permitLimit;
        account.Quota.Window = window ?? account.Quota.Window;
        return account;
    }

    public static async Task<RateLimitLease[]> AcquireConcurrentlyAsync(RateLimiter limiter, int count) =>
        await Task.WhenAll(Enumerable.Range(0, count).Select(_ => Task.Run(async () => await limiter.AcquireAsync(1))));

    public static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan retryAfter) ? retryAfter : throw new Xunit.Sdk.XunitException("A refused lease has no RetryAfter.");

    public static string Reason(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.ReasonPhrase, out string? reason) && reason is not null ? reason : throw new Xunit.Sdk.XunitException("A refused lease has no reason.");

    public static async Task<ConnectionMultiplexer> AdminAsync(RedisServer redis) =>
        await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true");

    /// <summary>Every key under a prefix, with its TTL (null when it has none).</summary>
    public static async Task<Dictionary<string, TimeSpan?>> KeysAsync(ConnectionMultiplexer admin, string prefix)
    {
        IServer server = admin.GetServers().Single();
        IDatabase db = admin.GetDatabase();
        var keys = new Dictionary<string, TimeSpan?>();
        await foreach (RedisKey key in server.KeysAsync(pattern: prefix + "*"))
        {
            keys[key.ToString()] = await db.KeyTimeToLiveAsync(key);
        }

        return keys;
    }

    /// <summary>The permits in a limiter's buckets, checked against the running total the script keeps beside them.</summary>
    public static async Task<long> CountedAsync(ConnectionMultiplexer admin, string key)
    {
        HashEntry[] fields = await admin.GetDatabase().HashGetAllAsync(key);
        long buckets = fields.Where(f => f.Name != "t" && f.Name != "o").Sum(f => (long)f.Value);
        long total = fields.Where(f => f.Name == "t").Sum(f => (long)f.Value);
        Assert.Equal(buckets, total);
        return buckets;
    }
}
