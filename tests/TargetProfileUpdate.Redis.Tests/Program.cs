using System.Globalization;
using System.Threading.RateLimiting;
using StackExchange.Redis;
using TargetProfileUpdate.Redis.Tests.TestSupport;

namespace TargetProfileUpdate.Redis.Tests;

/// <summary>
/// The entry point of this test assembly when it runs as a worker of <see cref="CrossProcessTests"/>:
/// <c>dotnet exec TargetProfileUpdate.Redis.Tests.dll redis-worker CONNECTION PREFIX LIMIT ATTEMPTS WORKERS</c>.
/// It waits until every worker is ready, then asks for ATTEMPTS permits and prints
/// <c>granted=N refused=N refusedWithRetryAfter=N unavailable=N</c>.
/// </summary>
public static class Program
{
    public const string WorkerCommand = "redis-worker";

    public const string MeasureCommand = "redis-measure";

    public static async Task<int> Main(string[] args)
    {
        if (args is [MeasureCommand])
        {
            await Measurement.RunAsync();
            return 0;
        }

        if (args is not [WorkerCommand, string connection, string prefix, string limit, string attempts, string workers])
        {
            await Console.Error.WriteLineAsync($"usage: {WorkerCommand} CONNECTION PREFIX LIMIT ATTEMPTS WORKERS");
            return 2;
        }

        var options = new RedisLimitOptions
        {
            ConnectionString = connection,
            KeyPrefix = prefix,
            QuotaPermitLimit = int.Parse(limit, CultureInfo.InvariantCulture),
            QuotaWindow = TimeSpan.FromHours(1),
            OperationTimeout = TimeSpan.FromSeconds(10),
            WhenRedisUnavailable = RedisUnavailableBehavior.FailClosed,
        };
        await using var limits = new RedisAccountLimits(options, "cross-process");

        // A start line: every worker checks in, then all begin together, so their acquisitions really race.
        await using (ConnectionMultiplexer barrier = await ConnectionMultiplexer.ConnectAsync(connection))
        {
            IDatabase db = barrier.GetDatabase();
            string ready = limits.KeyPrefix + "ready";
            await db.StringIncrementAsync(ready);
            await db.KeyExpireAsync(ready, TimeSpan.FromMinutes(1));
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((long)await db.StringGetAsync(ready) < int.Parse(workers, CultureInfo.InvariantCulture))
            {
                if (DateTime.UtcNow > deadline)
                {
                    await Console.Error.WriteLineAsync("The other workers did not check in within 60 s.");
                    return 3;
                }

                await Task.Delay(10);
            }
        }

        int granted = 0, refused = 0, withRetryAfter = 0, unavailable = 0;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, int.Parse(attempts, CultureInfo.InvariantCulture)),
            new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (_, ct) =>
            {
                using RateLimitLease lease = await limits.Quota.AcquireAsync(1, ct);
                if (lease.IsAcquired)
                {
                    Interlocked.Increment(ref granted);
                    return;
                }

                Interlocked.Increment(ref refused);
                if (lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan retryAfter) && retryAfter > TimeSpan.Zero)
                {
                    Interlocked.Increment(ref withRetryAfter);
                }

                if (lease.TryGetMetadata(MetadataName.ReasonPhrase, out string? reason) && reason?.Contains("Redis is unavailable", StringComparison.Ordinal) == true)
                {
                    Interlocked.Increment(ref unavailable);
                }
            });

        Console.WriteLine($"granted={granted} refused={refused} refusedWithRetryAfter={withRetryAfter} unavailable={unavailable}");
        return 0;
    }
}
