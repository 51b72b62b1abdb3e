using System;
using System.Globalization;
using StackExchange.Redis;

namespace TargetProfileUpdate.Redis;

/// <summary>
/// Settings of the Redis-backed limiters that share one Adobe Target account's limits across processes.
/// </summary>
/// <remarks>
/// Defaults: <see cref="KeyPrefix"/> <c>targetprofileupdate:{clientCode}:</c>;
/// <see cref="WhenRedisUnavailable"/> <see cref="RedisUnavailableBehavior.FailOpenWithLocalLimit"/>;
/// <see cref="OperationTimeout"/> 250 ms; <see cref="UnavailableRetryInterval"/> 5 s;
/// <see cref="LocalFallbackFraction"/> 0.1; quota 1,000,000 permits per rolling 24 hours in 1-minute buckets;
/// bulk/admin 50 permits per rolling minute in 1-second buckets.
/// </remarks>
public sealed class RedisLimitOptions
{
    /// <summary>The placeholder in <see cref="KeyPrefix"/> that is replaced by the account's client code.</summary>
    public const string ClientCodePlaceholder = "{clientCode}";

    /// <summary>The default <see cref="KeyPrefix"/>.</summary>
    public const string DefaultKeyPrefix = "targetprofileupdate:" + ClientCodePlaceholder + ":";

    /// <summary>
    /// Gets or sets the StackExchange.Redis connection string (for example
    /// <c>redis.internal:6380,password=…,ssl=true</c>). Ignored when <see cref="ConnectionMultiplexerFactory"/>
    /// is set. It may hold a password: it is never logged, traced or put in an exception message.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Gets or sets a factory returning an existing multiplexer (for example the application's own from DI),
    /// which is then shared and never disposed by these limiters. Takes precedence over <see cref="ConnectionString"/>.
    /// </summary>
    public Func<IServiceProvider, IConnectionMultiplexer>? ConnectionMultiplexerFactory { get; set; }

    /// <summary>
    /// Gets or sets the prefix of every Redis key of one account; <c>{clientCode}</c> is replaced by the
    /// account's client code, so accounts never share keys. Default: <c>targetprofileupdate:{clientCode}:</c>.
    /// </summary>
    public string KeyPrefix { get; set; } = DefaultKeyPrefix;

    /// <summary>Gets or sets what happens while Redis is down or slow. Default: <see cref="RedisUnavailableBehavior.FailOpenWithLocalLimit"/>.</summary>
    public RedisUnavailableBehavior WhenRedisUnavailable { get; set; } = RedisUnavailableBehavior.FailOpenWithLocalLimit;

    /// <summary>
    /// Gets or sets how long one permit may wait for Redis before Redis counts as unavailable (1 ms to 10 s).
    /// Default: 250 ms, so an update is never held hostage by a slow Redis.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Gets or sets how often, while Redis is unavailable, one permit tries Redis again (the others are decided
    /// without waiting for it). Default: 5 s.
    /// </summary>
    public TimeSpan UnavailableRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets the fraction of each limit that one process may use on its own while Redis is unavailable
    /// under <see cref="RedisUnavailableBehavior.FailOpenWithLocalLimit"/> (greater than 0, at most 1; at least one
    /// permit). Default: 0.1. Set it to 1 / (number of instances) to stay within the account's limit during an outage.
    /// </summary>
    public double LocalFallbackFraction { get; set; } = 0.1;

    /// <summary>Gets or sets the account's update quota: permits per <see cref="QuotaWindow"/>. Default: 1,000,000.</summary>
    public int QuotaPermitLimit { get; set; } = 1_000_000;

    /// <summary>Gets or sets the rolling window of the update quota. Default: 24 hours.</summary>
    public TimeSpan QuotaWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Gets or sets the bucket size of the update quota's window: the window must be a whole number of buckets
    /// (at most 10,000). A permit counts until its whole bucket has left the window. Default: 1 minute.
    /// </summary>
    public TimeSpan QuotaBucket { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets the bulk and admin call limit: permits per <see cref="BulkWindow"/>. Default: 50.</summary>
    public int BulkPermitLimit { get; set; } = 50;

    /// <summary>Gets or sets the rolling window of the bulk and admin limit. Default: 1 minute.</summary>
    public TimeSpan BulkWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets the bucket size of the bulk and admin window (see <see cref="QuotaBucket"/>). Default: 1 second.</summary>
    public TimeSpan BulkBucket { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Returns the key prefix for one account.</summary>
    /// <param name="clientCode">The account's Adobe Target client code.</param>
    /// <returns><see cref="KeyPrefix"/> with <c>{clientCode}</c> replaced.</returns>
    /// <exception cref="ArgumentException"><paramref name="clientCode"/> is null, empty or white space.</exception>
    public string ResolveKeyPrefix(string clientCode)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientCode);
        return KeyPrefix.Replace(ClientCodePlaceholder, clientCode, StringComparison.Ordinal);
    }

    /// <summary>Describes the settings without the connection string (which may hold a password).</summary>
    /// <returns>A description safe to log.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"RedisLimitOptions {{ Connection = {(ConnectionMultiplexerFactory is not null ? "factory" : ConnectionString is null ? "none" : "connection string (hidden)")}, KeyPrefix = {KeyPrefix}, WhenRedisUnavailable = {WhenRedisUnavailable}, OperationTimeout = {OperationTimeout}, LocalFallbackFraction = {LocalFallbackFraction}, Quota = {QuotaPermitLimit}/{QuotaWindow} in {QuotaBucket}, Bulk = {BulkPermitLimit}/{BulkWindow} in {BulkBucket} }}");

    /// <summary>Checks every setting, naming the first one that is out of range.</summary>
    /// <exception cref="ArgumentException">A setting is missing or out of range; the message names it and its limit.</exception>
    internal void Validate()
    {
        if (ConnectionMultiplexerFactory is null && string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException($"Set {nameof(RedisLimitOptions)}.{nameof(ConnectionString)} or {nameof(RedisLimitOptions)}.{nameof(ConnectionMultiplexerFactory)}.", nameof(ConnectionString));
        }

        if (string.IsNullOrWhiteSpace(KeyPrefix))
        {
            throw new ArgumentException($"{nameof(RedisLimitOptions)}.{nameof(KeyPrefix)} must not be empty.", nameof(KeyPrefix));
        }

        if (!Enum.IsDefined(WhenRedisUnavailable))
        {
            throw new ArgumentOutOfRangeException(nameof(WhenRedisUnavailable), WhenRedisUnavailable, $"{nameof(RedisLimitOptions)}.{nameof(WhenRedisUnavailable)} must be FailOpenWithLocalLimit or FailClosed.");
        }

        CheckRange(OperationTimeout, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(10), nameof(OperationTimeout));
        CheckRange(UnavailableRetryInterval, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1), nameof(UnavailableRetryInterval));
        if (!(LocalFallbackFraction > 0 && LocalFallbackFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(LocalFallbackFraction), LocalFallbackFraction, $"{nameof(RedisLimitOptions)}.{nameof(LocalFallbackFraction)} must be greater than 0 and at most 1.");
        }

        CheckWindow(QuotaPermitLimit, QuotaWindow, QuotaBucket, nameof(QuotaPermitLimit), nameof(QuotaWindow), nameof(QuotaBucket));
        CheckWindow(BulkPermitLimit, BulkWindow, BulkBucket, nameof(BulkPermitLimit), nameof(BulkWindow), nameof(BulkBucket));
    }

    private static void CheckWindow(int limit, TimeSpan window, TimeSpan bucket, string limitName, string windowName, string bucketName)
    {
        if (limit <= 0)
        {
            throw new ArgumentOutOfRangeException(limitName, limit, $"{nameof(RedisLimitOptions)}.{limitName} must be at least 1.");
        }

        CheckRange(bucket, TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1), bucketName);
        CheckRange(window, bucket, TimeSpan.FromDays(7), windowName);
        if (window.Ticks % TimeSpan.TicksPerMillisecond != 0 || bucket.Ticks % TimeSpan.TicksPerMillisecond != 0
            || window.Ticks % bucket.Ticks != 0 || window.Ticks / bucket.Ticks > 10_000)
        {
            throw new ArgumentException(
                $"{nameof(RedisLimitOptions)}.{windowName} ({window}) must be a whole number of whole milliseconds and of {bucketName} ({bucket}), at most 10,000 buckets.",
                windowName);
        }
    }

    private static void CheckRange(TimeSpan value, TimeSpan min, TimeSpan max, string name)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{nameof(RedisLimitOptions)}.{name} must be between {min} and {max}.");
        }
    }
}
