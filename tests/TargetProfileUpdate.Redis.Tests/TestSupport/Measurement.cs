using System.Diagnostics;
using System.Globalization;
using System.Threading.RateLimiting;

namespace TargetProfileUpdate.Redis.Tests.TestSupport;

/// <summary>
/// The figures in the README's "Running many instances" section (not a test: run it by hand with
/// <c>dotnet exec tests/TargetProfileUpdate.Redis.Tests/bin/Release/net10.0/TargetProfileUpdate.Redis.Tests.dll redis-measure</c>).
/// It starts its own redis-server on loopback and compares the distributed quota with the in-process
/// <see cref="SlidingWindowRateLimiter"/>.
/// </summary>
public static class Measurement
{
    private const int Sequential = 5_000;
    private const int Concurrent = 50_000;
    private const int Parallelism = 64;

    public static async Task RunAsync()
    {
        using var redis = new RedisServer();
        await using var limits = new RedisAccountLimits(Limits.Options(redis), Limits.Account("measure", int.MaxValue));
        using var local = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = int.MaxValue,
            Window = TimeSpan.FromHours(24),
            SegmentsPerWindow = 1440,
            QueueLimit = 0,
        });

        await RunSequentialAsync(limits.Quota, 500); // warm-up: connection, script cache, JIT
        await RunSequentialAsync(local, 500);
        TimeSpan redisSequential = await RunSequentialAsync(limits.Quota, Sequential);
        TimeSpan localSequential = await RunSequentialAsync(local, Sequential);
        TimeSpan redisConcurrent = await RunConcurrentAsync(limits.Quota);
        TimeSpan localConcurrent = await RunConcurrentAsync(local);

        double redisRate = Concurrent / redisConcurrent.TotalSeconds;
        double localRate = Concurrent / localConcurrent.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            {Environment.ProcessorCount} cores, {Environment.Version}, redis-server on loopback
            one permit at a time:   Redis {redisSequential.TotalMicroseconds / Sequential:F0} µs per permit, in-process {localSequential.TotalMicroseconds / Sequential:F2} µs per permit
            {Parallelism} concurrent callers: Redis {redisRate:F0} permits/s, in-process {localRate:F0} permits/s (ratio {redisRate / localRate:F4})
            """));
    }

    private static async Task<TimeSpan> RunSequentialAsync(RateLimiter limiter, int count)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            using RateLimitLease lease = await limiter.AcquireAsync(1);
            if (!lease.IsAcquired)
            {
                throw new InvalidOperationException("A permit was refused while measuring.");
            }
        }

        return clock.Elapsed;
    }

    private static async Task<TimeSpan> RunConcurrentAsync(RateLimiter limiter)
    {
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, Concurrent), new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (_, ct) =>
        {
            using RateLimitLease lease = await limiter.AcquireAsync(1, ct);
            if (!lease.IsAcquired)
            {
                throw new InvalidOperationException("A permit was refused while measuring.");
            }
        });
        return clock.Elapsed;
    }
}
