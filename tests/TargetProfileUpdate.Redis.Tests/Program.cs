using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using TargetProfileUpdate.Redis.Tests.TestSupport;

namespace TargetProfileUpdate.Redis.Tests;

/// <summary>
/// The entry point of this test assembly when it runs as a worker of <see cref="CrossProcessTests"/>:
/// <list type="bullet">
/// <item><c>dotnet exec TargetProfileUpdate.Redis.Tests.dll redis-worker CONNECTION PREFIX LIMIT ATTEMPTS WORKERS</c>
/// waits until every worker is ready, then asks for ATTEMPTS permits and prints
/// <c>granted=N refused=N refusedWithRetryAfter=N unavailable=N</c>;</item>
/// <item><c>… update-worker EMULATOR CLIENTCODE CONNECTION PREFIX LIMIT UPDATES WORKERS CONCURRENCY</c> registers the SDK
/// with the account's <c>Quota:PermitLimit</c> = LIMIT and <c>UseRedisLimits</c> (Redis settings only), waits for the others, sends UPDATES updates to the emulator with <c>UpdateManyAsync</c> and
/// prints the batch's accounting (see <see cref="UpdateWorkerAsync"/>).</item>
/// </list>
/// </summary>
public static class Program
{
    public const string WorkerCommand = "redis-worker";

    public const string UpdateWorkerCommand = "update-worker";

    public const string MeasureCommand = "redis-measure";

    public const string DeferWorkerCommand = "delivery-defer";

    public static async Task<int> Main(string[] args)
    {
        if (args is [MeasureCommand])
        {
            await Measurement.RunAsync();
            return 0;
        }

        if (args is [Suppression.SuppressionWorker.Command, string worker, string code, string connection0, string key, string secret, string id])
        {
            return await Suppression.SuppressionWorker.RunAsync(new Uri(worker), code, connection0, key, secret, id);
        }

        if (args is [DeferWorkerCommand, string deferEmulator, string deferClientCode, string deferRedis, string deferPrefix, string deferCount])
        {
            return await Delivery.DeliveryWorkerProcess.DeferAndWaitAsync(new Uri(deferEmulator), deferClientCode, deferRedis, deferPrefix, Int(deferCount));
        }

        if (args is [UpdateWorkerCommand, string emulator, string clientCode, string redis, string keyPrefix, string quota, string updates, string workerCount, string concurrency])
        {
            return await UpdateWorkerAsync(new Uri(emulator), clientCode, redis, keyPrefix, Int(quota), Int(updates), Int(workerCount), Int(concurrency));
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
            OperationTimeout = TimeSpan.FromSeconds(10),
            WhenRedisUnavailable = RedisUnavailableBehavior.FailClosed,
        };
        await using var limits = new RedisAccountLimits(options, Limits.Account("cross-process", int.Parse(limit, CultureInfo.InvariantCulture), TimeSpan.FromHours(1)));

        if (!await StartLineAsync(connection, limits.KeyPrefix + "ready", int.Parse(workers, CultureInfo.InvariantCulture)))
        {
            return 3;
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

    /// <summary>
    /// One service instance: the DI-registered SDK with Redis limits (fail closed, so a Redis problem shows as
    /// <c>unavailable</c> rather than as local grants), sending real updates to the emulator. Prints
    /// <c>submitted=N accepted=N failed=N notSent=N rateLimited=N withRetryAfter=N sentBeforeRefusal=N other=N redisAvailable=True|False</c>.
    /// </summary>
    private static async Task<int> UpdateWorkerAsync(Uri emulator, string clientCode, string redis, string keyPrefix, int quota, int updates, int workers, int concurrency)
    {
        await using ServiceProvider services = RedisClients.Create(emulator, clientCode, o =>
        {
            o.ConnectionString = redis;
            o.KeyPrefix = keyPrefix;
            o.OperationTimeout = TimeSpan.FromSeconds(10);
            o.WhenRedisUnavailable = RedisUnavailableBehavior.FailClosed;
        },
        account: a => a.Quota.PermitLimit = quota); // the account's own setting: Redis adds no limit of its own
        IProfileUpdateClient client = services.GetRequiredService<IProfileUpdateClient>();
        RedisAccountLimits limits = services.GetRequiredKeyedService<RedisAccountLimits>(Microsoft.Extensions.Options.Options.DefaultName);
        if (!await StartLineAsync(redis, limits.KeyPrefix + "ready", workers))
        {
            return 3;
        }

        ProfileBatchResult result = await client.UpdateManyAsync(RedisClients.Updates(updates), new ProfileBatchOptions { MaxConcurrency = concurrency });
        var limited = result.Failures.Select(f => f.Exception).OfType<ProfileApiRateLimitedException>().ToList();
        int withRetryAfter = limited.Count(e => e.RetryAfter > TimeSpan.Zero && e.StatusCode is null);
        int sentBeforeRefusal = limited.Count(e => e.Attempts != 0);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"submitted={result.Submitted} accepted={result.Accepted} failed={result.Failed} notSent={result.NotSent} rateLimited={limited.Count} withRetryAfter={withRetryAfter} sentBeforeRefusal={sentBeforeRefusal} other={result.Failures.Count - limited.Count} redisAvailable={limits.IsRedisAvailable}"));
        return 0;
    }

    /// <summary>A start line: every worker checks in, then all begin together, so they really race.</summary>
    private static async Task<bool> StartLineAsync(string connection, string key, int workers)
    {
        await using ConnectionMultiplexer barrier = await ConnectionMultiplexer.ConnectAsync(connection);
        IDatabase db = barrier.GetDatabase();
        await db.StringIncrementAsync(key);
        await db.KeyExpireAsync(key, TimeSpan.FromMinutes(1));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((long)await db.StringGetAsync(key) < workers)
        {
            if (DateTime.UtcNow > deadline)
            {
                await Console.Error.WriteLineAsync("The other workers did not check in within 60 s.");
                return false;
            }

            await Task.Delay(10); // a barrier of OS processes on a real Redis counter: no fake clock, and no event crosses processes
        }

        return true;
    }

    private static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);
}
