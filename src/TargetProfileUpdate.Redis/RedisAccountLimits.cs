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
/// attempt, retries included), enforcing the account's own <c>Quota:PermitLimit</c> per <c>Quota:Window</c>, and the
/// <see cref="Bulk"/> and admin call limit (<see cref="ProfileUpdateQuotaOptions.BulkCallsPerMinute"/> per minute).
/// Every process that creates them with the same client code and <see cref="RedisLimitOptions.KeyPrefix"/> shares the
/// same counts in Redis, exactly. Thread-safe; create one per account and process, and dispose it with the application.
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
    /// <param name="options">The Redis settings; read once, here.</param>
    /// <param name="account">
    /// The account's options: its <see cref="TargetProfileUpdateOptions.ClientCode"/> (which replaces <c>{clientCode}</c> in
    /// the key prefix) and its <see cref="TargetProfileUpdateOptions.Quota"/> limit and window; read once, here.
    /// </param>
    /// <param name="services">
    /// Where <see cref="RedisLimitOptions.ConnectionMultiplexerFactory"/>, <see cref="ILoggerFactory"/>,
    /// <see cref="IMeterFactory"/> and <see cref="TimeProvider"/> come from, when available.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="account"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The account has no client code, or a setting is missing or out of range (the message names every one), or the
    /// connection string cannot be parsed (the message does not repeat it).
    /// </exception>
    public RedisAccountLimits(RedisLimitOptions options, TargetProfileUpdateOptions account, IServiceProvider? services = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(account);
        ArgumentException.ThrowIfNullOrWhiteSpace(account.ClientCode, nameof(account));
        ArgumentNullException.ThrowIfNull(account.Quota, nameof(account));
        RedisLimitOptionsValidator.ThrowIfInvalid(options);
        KeyPrefix = options.ResolveKeyPrefix(account.ClientCode);
        var quotaWindow = Window.Of(account.Quota.Window, options.QuotaBucket, "the account's Quota:Window", nameof(RedisLimitOptions.QuotaBucket));
        var bulkWindow = Window.Of(TimeSpan.FromMinutes(1), options.BulkBucket, "the bulk call window (1 minute)", nameof(RedisLimitOptions.BulkBucket));

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
        _quota = new RedisWindowRateLimiter(_backend, KeyPrefix + "quota", "quota", account.Quota.PermitLimit, quotaWindow, options.LocalFallbackFraction);
        _bulk = new RedisWindowRateLimiter(_backend, KeyPrefix + "bulk", "bulk", ProfileUpdateQuotaOptions.BulkCallsPerMinute, bulkWindow, options.LocalFallbackFraction);
    }

    /// <summary>Gets the prefix of this account's keys (<c>quota</c> and <c>bulk</c> follow it).</summary>
    public string KeyPrefix { get; }

    /// <summary>
    /// Gets the update quota: the account's <c>Quota:PermitLimit</c> per rolling <c>Quota:Window</c>, shared by every process. A refused lease is not acquired and
    /// carries <see cref="MetadataName.RetryAfter"/> and <see cref="MetadataName.ReasonPhrase"/>.
    /// </summary>
    public RateLimiter Quota => _quota;

    /// <summary>Gets the bulk and admin call limit: <see cref="ProfileUpdateQuotaOptions.BulkCallsPerMinute"/> per rolling minute.</summary>
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
