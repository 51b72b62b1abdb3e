using System;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using StackExchange.Redis;

namespace TargetProfileUpdate.Redis;

/// <summary>
/// The Redis settings of the limiters that share one Adobe Target account's limits across processes. The limits
/// themselves are the account's own: its <c>Quota:PermitLimit</c> per <c>Quota:Window</c> (see
/// <see cref="ProfileUpdateQuotaOptions"/>) and Adobe's <see cref="ProfileUpdateQuotaOptions.BulkCallsPerMinute"/>
/// bulk and admin calls per minute. Nothing here sets a limit a second time.
/// </summary>
/// <remarks>
/// Defaults: <see cref="KeyPrefix"/> <c>targetprofileupdate:{clientCode}:</c>;
/// <see cref="WhenRedisUnavailable"/> <see cref="RedisUnavailableBehavior.FailOpenWithLocalLimit"/>;
/// <see cref="OperationTimeout"/> 250 ms; <see cref="UnavailableRetryInterval"/> 5 s;
/// <see cref="LocalFallbackFraction"/> 0.1; <see cref="QuotaBucket"/> the quota window / 1,440 (1 minute for 24 hours);
/// <see cref="BulkBucket"/> 1 second.
/// </remarks>
public sealed class RedisLimitOptions
{
    /// <summary>The placeholder in <see cref="KeyPrefix"/> that is replaced by the account's client code.</summary>
    public const string ClientCodePlaceholder = "{clientCode}";

    /// <summary>The default <see cref="KeyPrefix"/>.</summary>
    public const string DefaultKeyPrefix = "targetprofileupdate:" + ClientCodePlaceholder + ":";

    private const string TimeSpanRangeIsSourceGenerated =
        "Read only by the source-generated options validator, which compiles its own range check; never through reflection.";

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
    /// Gets or sets the prefix of every Redis key of one account. It must contain <c>{clientCode}</c>, which is
    /// replaced by the account's client code in lower case (client codes are DNS labels: <c>Acme</c> and <c>acme</c> are
    /// one Adobe account and share one count), so two accounts can never share a count by accident.
    /// Default: <c>targetprofileupdate:{clientCode}:</c>.
    /// </summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "RedisLimitOptions.KeyPrefix is required and must contain {{clientCode}}.")]
    public string KeyPrefix { get; set; } = DefaultKeyPrefix;

    /// <summary>Gets or sets what happens while Redis is down or slow. Default: <see cref="RedisUnavailableBehavior.FailOpenWithLocalLimit"/>.</summary>
    [EnumDataType(typeof(RedisUnavailableBehavior), ErrorMessage = "RedisLimitOptions.WhenRedisUnavailable must be FailOpenWithLocalLimit or FailClosed.")]
    public RedisUnavailableBehavior WhenRedisUnavailable { get; set; } = RedisUnavailableBehavior.FailOpenWithLocalLimit;

    /// <summary>
    /// Gets or sets how long one permit may wait for Redis before Redis counts as unavailable (1 ms to 10 s).
    /// Default: 250 ms, so an update is never held hostage by a slow Redis.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TimeSpanRangeIsSourceGenerated)]
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Gets or sets how often, while Redis is unavailable, one permit tries Redis again (the others are decided
    /// without waiting for it); 1 ms to 1 hour. Default: 5 s.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TimeSpanRangeIsSourceGenerated)]
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan UnavailableRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets the fraction of each limit that one process may use on its own while Redis is unavailable
    /// under <see cref="RedisUnavailableBehavior.FailOpenWithLocalLimit"/> (greater than 0, at most 1; at least one
    /// permit). Default: 0.1. Set it to 1 / (number of instances) to stay within the account's limit during an outage.
    /// </summary>
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double LocalFallbackFraction { get; set; } = 0.1;

    /// <summary>
    /// Gets or sets how finely the update quota's window is counted in Redis (1 ms to 1 day; at most 10,000 buckets per
    /// window). A permit counts until its whole bucket has left the window, so a caller may be refused up to one bucket
    /// early, never late. Default: <see langword="null"/>, the account's <c>Quota:Window</c> / 1,440 in whole
    /// milliseconds (1 minute for the default 24 hours).
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TimeSpanRangeIsSourceGenerated)]
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan? QuotaBucket { get; set; }

    /// <summary>Gets or sets how finely the bulk and admin call window (one minute) is counted in Redis (see <see cref="QuotaBucket"/>). Default: 1 second.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TimeSpanRangeIsSourceGenerated)]
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan BulkBucket { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Returns the key prefix for one account.</summary>
    /// <param name="clientCode">The account's Adobe Target client code.</param>
    /// <returns><see cref="KeyPrefix"/> with <c>{clientCode}</c> replaced by the client code in lower case.</returns>
    /// <exception cref="ArgumentException"><paramref name="clientCode"/> is null, empty or white space.</exception>
    public string ResolveKeyPrefix(string clientCode)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientCode);
        return KeyPrefix.Replace(ClientCodePlaceholder, clientCode.ToLowerInvariant(), StringComparison.Ordinal);
    }

    /// <summary>Describes the settings without the connection string (which may hold a password).</summary>
    /// <returns>A description safe to log.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"RedisLimitOptions {{ Connection = {(ConnectionMultiplexerFactory is not null ? "factory" : ConnectionString is null ? "none" : "connection string (hidden)")}, KeyPrefix = {KeyPrefix}, WhenRedisUnavailable = {WhenRedisUnavailable}, OperationTimeout = {OperationTimeout}, UnavailableRetryInterval = {UnavailableRetryInterval}, LocalFallbackFraction = {LocalFallbackFraction}, QuotaBucket = {(QuotaBucket is { } q ? q.ToString() : "auto")}, BulkBucket = {BulkBucket} }}");
}
