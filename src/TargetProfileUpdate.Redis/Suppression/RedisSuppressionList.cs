using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace TargetProfileUpdate.Redis;

/// <summary>
/// An <see cref="ISuppressionList"/> in one Redis set, shared by every process of the account and kept across restarts:
/// members are the ids' keyed hashes (<see cref="ProfileIdHasher"/>, HMAC-SHA256 with the account's hash secret), never ids.
/// A lookup that fails or times out throws <see cref="ProfileApiException"/> (transient, <see cref="ProfileApiFailureReason.SuppressionListUnavailable"/>), so an update is not sent
/// (the SDK fails closed). Thread-safe.
/// </summary>
public sealed class RedisSuppressionList : ISuppressionList, IDisposable
{
    private const int AddChunk = 1000;
    private readonly IConnectionMultiplexer _redis;
    private readonly bool _ownsConnection;
    private readonly RedisKey _key;
    private readonly ProfileIdHasher _hasher;
    private readonly TimeSpan _timeout;

    /// <summary>Creates a list over a shared multiplexer (not disposed by the list).</summary>
    /// <param name="redis">The multiplexer.</param>
    /// <param name="key">The Redis key of the set.</param>
    /// <param name="hasher">The account's hasher (the same secret in every process).</param>
    /// <param name="operationTimeout">How long one call may wait; 2 s when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty.</exception>
    public RedisSuppressionList(IConnectionMultiplexer redis, string key, ProfileIdHasher hasher, TimeSpan? operationTimeout = null)
        : this(redis, key, hasher, operationTimeout, ownsConnection: false)
    {
    }

    internal RedisSuppressionList(IConnectionMultiplexer redis, string key, ProfileIdHasher hasher, TimeSpan? operationTimeout, bool ownsConnection)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(hasher);
        _redis = redis;
        _key = key;
        _hasher = hasher;
        _timeout = operationTimeout ?? TimeSpan.FromSeconds(2);
        _ownsConnection = ownsConnection;
    }

    /// <inheritdoc />
    public async ValueTask<bool> ContainsAsync(ProfileId id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        string hash = _hasher.Hash(id);
        return await RunAsync(db => db.SetContainsAsync(_key, hash), "read", cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask AddAsync(IEnumerable<ProfileId> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var batch = new List<RedisValue>(AddChunk);
        foreach (var id in ids)
        {
            ArgumentNullException.ThrowIfNull(id, nameof(ids));
            batch.Add(_hasher.Hash(id));
            if (batch.Count == AddChunk)
            {
                await AddBatchAsync(batch, cancellationToken).ConfigureAwait(false);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await AddBatchAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> RemoveAsync(ProfileId id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        string hash = _hasher.Hash(id);
        return await RunAsync(db => db.SetRemoveAsync(_key, hash), "changed", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Disposes the connection when the list made it from a connection string.</summary>
    public void Dispose()
    {
        if (_ownsConnection)
        {
            _redis.Dispose();
        }
    }

    private Task<long> AddBatchAsync(List<RedisValue> batch, CancellationToken cancellationToken)
    {
        RedisValue[] values = [.. batch];
        return RunAsync(db => db.SetAddAsync(_key, values), "changed", cancellationToken);
    }

    private async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> call, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await call(_redis.GetDatabase()).WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The connection string (which may hold a password) and the hashes are not put in the message.
            throw new ProfileApiException(
                ProfileApiFailureReason.SuppressionListUnavailable,
                "The Redis suppression list could not be " + what + " (" + ex.GetType().Name + "); nothing was sent for the profile. Check that Redis is reachable.",
                statusCode: null, responseBody: null, attempts: 0, isTransient: true, innerException: null);
        }
    }
}
