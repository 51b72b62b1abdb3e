using System;
using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using TargetProfileUpdate.Redis.Diagnostics;
using TargetProfileUpdate.Redis.RateLimiting;

namespace TargetProfileUpdate.Redis;

/// <summary>
/// The two distributed limiters of one Adobe Target account: the update <see cref="Quota"/> (one permit per HTTP
/// attempt, retries included) and the <see cref="Bulk"/> and admin call limit. Every process that creates them with
/// the same client code and <see cref="RedisLimitOptions.KeyPrefix"/> shares the same counts in Redis, exactly.
/// Thread-safe; create one per account and process, and dispose it with the application.
/// </summary>
public sealed class RedisAccountLimits : IDisposable, IAsyncDisposable
{
    private readonly RedisLimitBackend _backend;
    private readonly RedisWindowRateLimiter _quota;
    private readonly RedisWindowRateLimiter _bulk;

    /// <summary>
    /// Creates the limiters. A connection made from <see cref="RedisLimitOptions.ConnectionString"/> starts in the
    /// background at once; the first permit waits for it at most the connection string's <c>connectTimeout</c>
    /// (5 s by default), every later permit at most <see cref="RedisLimitOptions.OperationTimeout"/>.
    /// </summary>
    /// <param name="options">The settings; read once, here.</param>
    /// <param name="clientCode">The account's Adobe Target client code, which replaces <c>{clientCode}</c> in the key prefix.</param>
    /// <param name="services">
    /// Where <see cref="RedisLimitOptions.ConnectionMultiplexerFactory"/>, <see cref="ILoggerFactory"/>,
    /// <see cref="IMeterFactory"/> and <see cref="TimeProvider"/> come from, when available.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="clientCode"/> is empty, or a setting is missing or out of range (the message names it), or the
    /// connection string cannot be parsed (the message does not repeat it).
    /// </exception>
    public RedisAccountLimits(RedisLimitOptions options, string clientCode, IServiceProvider? services = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientCode);
        options.Validate();
        KeyPrefix = options.ResolveKeyPrefix(clientCode);

        IConnectionMultiplexer? shared = null;
        ConfigurationOptions? configuration = null;
        if (options.ConnectionMultiplexerFactory is not null)
        {
            shared = options.ConnectionMultiplexerFactory(services ?? EmptyServices.Instance)
                ?? throw new ArgumentException($"{nameof(RedisLimitOptions)}.{nameof(RedisLimitOptions.ConnectionMultiplexerFactory)} returned null.", nameof(options));
        }
        else
        {
            configuration = ParseConnectionString(options.ConnectionString!);
        }

        var loggerFactory = services?.GetService(typeof(ILoggerFactory)) as ILoggerFactory ?? NullLoggerFactory.Instance;
        var telemetry = new RedisLimitTelemetry(services?.GetService(typeof(IMeterFactory)) as IMeterFactory);
        var time = services?.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System;
        _backend = new RedisLimitBackend(
            configuration,
            shared,
            options.WhenRedisUnavailable,
            options.OperationTimeout,
            options.UnavailableRetryInterval,
            loggerFactory.CreateLogger(RedisLimitTelemetry.Name),
            telemetry,
            time);
        _quota = new RedisWindowRateLimiter(_backend, KeyPrefix + "quota", "quota", options.QuotaPermitLimit, options.QuotaWindow, options.QuotaBucket, options.LocalFallbackFraction);
        _bulk = new RedisWindowRateLimiter(_backend, KeyPrefix + "bulk", "bulk", options.BulkPermitLimit, options.BulkWindow, options.BulkBucket, options.LocalFallbackFraction);
    }

    /// <summary>Gets the prefix of this account's keys (<c>quota</c> and <c>bulk</c> follow it).</summary>
    public string KeyPrefix { get; }

    /// <summary>
    /// Gets the update quota: <see cref="RedisLimitOptions.QuotaPermitLimit"/> per rolling
    /// <see cref="RedisLimitOptions.QuotaWindow"/>, shared by every process. A refused lease is not acquired and
    /// carries <see cref="MetadataName.RetryAfter"/> and <see cref="MetadataName.ReasonPhrase"/>.
    /// </summary>
    public RateLimiter Quota => _quota;

    /// <summary>Gets the bulk and admin call limit: <see cref="RedisLimitOptions.BulkPermitLimit"/> per rolling <see cref="RedisLimitOptions.BulkWindow"/>.</summary>
    public RateLimiter Bulk => _bulk;

    /// <summary>Gets whether the last call to Redis succeeded (so permits are currently shared across instances).</summary>
    public bool IsRedisAvailable => _backend.IsAvailable;

    /// <summary>Disposes the limiters, and the Redis connection when it was made from <see cref="RedisLimitOptions.ConnectionString"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Disposes the limiters, and the Redis connection when it was made from <see cref="RedisLimitOptions.ConnectionString"/>.</summary>
    /// <returns>A task that completes when everything is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        await _quota.DisposeAsync().ConfigureAwait(false);
        await _bulk.DisposeAsync().ConfigureAwait(false);
        await _backend.DisposeAsync().ConfigureAwait(false);
    }

    private static ConfigurationOptions ParseConnectionString(string connectionString)
    {
        ConfigurationOptions configuration;
        try
        {
            configuration = ConfigurationOptions.Parse(connectionString);
        }
        catch (ArgumentException)
        {
            // The parser's message may quote the string, which may hold a password: say what is wrong without it.
            throw new ArgumentException($"{nameof(RedisLimitOptions)}.{nameof(RedisLimitOptions.ConnectionString)} is not a valid StackExchange.Redis connection string (not shown: it may hold a password).", nameof(connectionString));
        }

        // Start even while Redis is down; the multiplexer keeps reconnecting and the limiters fall back meanwhile.
        configuration.AbortOnConnectFail = false;

        // While disconnected, fail a permit's script at once instead of queueing it: a queued script would run after the
        // caller stopped waiting for it (and was decided locally or refused), counting a permit nobody got.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        return configuration;
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
