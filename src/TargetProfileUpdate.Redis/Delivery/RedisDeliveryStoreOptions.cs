using System;
using StackExchange.Redis;

namespace TargetProfileUpdate.Redis;

/// <summary>Settings of the Redis pending store of deferred updates (<c>UseRedisDeliveryStore</c>).</summary>
/// <remarks>
/// Defaults: <see cref="KeyPrefix"/> <c>targetprofileupdate:{{clientCode}}:delivery:</c> (the client code in braces, so one
/// account's keys share a Redis Cluster hash slot); <see cref="ClaimTimeout"/> 5 minutes. The store's capacity is the
/// account's <see cref="ProfileDeliveryOptions.MaxPendingUpdates"/>.
/// </remarks>
public sealed class RedisDeliveryStoreOptions
{
    /// <summary>The default <see cref="KeyPrefix"/>; <c>{clientCode}</c> is replaced by the account's client code.</summary>
    public const string DefaultKeyPrefix = "targetprofileupdate:{" + RedisLimitOptions.ClientCodePlaceholder + "}:delivery:";

    /// <summary>Gets or sets the StackExchange.Redis connection string. Ignored when <see cref="ConnectionMultiplexerFactory"/>
    /// is set. It may hold a password: it is never logged or put in an exception message.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Gets or sets a factory returning an existing multiplexer (shared, never disposed by the store). Takes
    /// precedence over <see cref="ConnectionString"/>.</summary>
    public Func<IServiceProvider, IConnectionMultiplexer>? ConnectionMultiplexerFactory { get; set; }

    /// <summary>Gets or sets the prefix of the store's keys; it must contain <c>{clientCode}</c>, which is replaced by the
    /// account's client code. Every instance that shares deferred updates must use the same prefix.</summary>
    public string KeyPrefix { get; set; } = DefaultKeyPrefix;

    /// <summary>Gets or sets how long a re-check may hold a profile id's pending updates before another instance may take
    /// them over (1 s to 1 hour). A claim held longer (a re-check that hangs, or an instance that died mid-way) is taken
    /// over, and the updates of the dead claim not yet removed may then be sent again. Default: 5 minutes.</summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is missing or out of range (the message names it).</exception>
    internal void Validate()
    {
        if (ConnectionMultiplexerFactory is null && string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException("RedisDeliveryStoreOptions.ConnectionString or RedisDeliveryStoreOptions.ConnectionMultiplexerFactory must be set.");
        }

        if (string.IsNullOrWhiteSpace(KeyPrefix))
        {
            throw new ArgumentException("RedisDeliveryStoreOptions.KeyPrefix must not be empty.");
        }

        if (!KeyPrefix.Contains(RedisLimitOptions.ClientCodePlaceholder, StringComparison.Ordinal))
        {
            throw new ArgumentException("RedisDeliveryStoreOptions.KeyPrefix must contain {clientCode}: without it two accounts would share one store, and one account's deferred updates would be sent by the other.");
        }

        if (ClaimTimeout < TimeSpan.FromSeconds(1) || ClaimTimeout > TimeSpan.FromHours(1))
        {
            throw new ArgumentException("RedisDeliveryStoreOptions.ClaimTimeout must be between 1 second and 1 hour.");
        }
    }
}
