using System;
using StackExchange.Redis;

namespace TargetProfileUpdate.Redis;

/// <summary>Settings of the Redis-backed suppression list shared by every instance of one account.</summary>
/// <remarks>Defaults: <see cref="Key"/> <c>targetprofileupdate:{clientCode}:suppressed</c>; <see cref="OperationTimeout"/> 2 s.
/// The hashes are keyed by the account's <c>TargetProfileUpdate:Privacy:HashSecret</c>, which every instance must share.</remarks>
public sealed class RedisSuppressionOptions
{
    /// <summary>The placeholder in <see cref="Key"/> replaced by the account's client code.</summary>
    public const string ClientCodePlaceholder = "{clientCode}";

    /// <summary>The default <see cref="Key"/>.</summary>
    public const string DefaultKey = "targetprofileupdate:" + ClientCodePlaceholder + ":suppressed";

    /// <summary>Gets or sets the StackExchange.Redis connection string. Ignored when <see cref="ConnectionMultiplexerFactory"/>
    /// is set. It may hold a password: it is never logged or put in an exception message.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Gets or sets a factory returning an existing multiplexer (shared, never disposed by the list). Takes precedence
    /// over <see cref="ConnectionString"/>.</summary>
    public Func<IServiceProvider, IConnectionMultiplexer>? ConnectionMultiplexerFactory { get; set; }

    /// <summary>Gets or sets the Redis key of the account's set of hashes; <c>{clientCode}</c> is replaced by the account's client
    /// code. Default: <c>targetprofileupdate:{clientCode}:suppressed</c>. The key never expires.</summary>
    public string Key { get; set; } = DefaultKey;

    /// <summary>Gets or sets how long one lookup may wait for Redis (1 ms to 1 minute); longer fails the update closed
    /// (nothing is sent). Default: 2 s.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is missing or out of range; the message names it.</exception>
    public void Validate()
    {
        if (ConnectionMultiplexerFactory is null && string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException("RedisSuppressionOptions needs a ConnectionString or a ConnectionMultiplexerFactory.", nameof(ConnectionString));
        }

        if (string.IsNullOrWhiteSpace(Key))
        {
            throw new ArgumentException("RedisSuppressionOptions.Key must not be empty.", nameof(Key));
        }

        if (OperationTimeout < TimeSpan.FromMilliseconds(1) || OperationTimeout > TimeSpan.FromMinutes(1))
        {
            throw new ArgumentException("RedisSuppressionOptions.OperationTimeout must be between 1 ms and 1 minute.", nameof(OperationTimeout));
        }
    }
}
