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
/// <remarks>Next to the set, the string key <c>{key}:secret-fingerprint</c> holds the
/// <see cref="ProfileIdHasher.SecretFingerprint"/> of the secret that wrote it (set once, with <c>SET NX</c>, by the first
/// addition). A list whose fingerprint differs from this process's hasher, or a non-empty set without one (written before
/// fingerprints were recorded), is refused: every call throws <see cref="ProfileApiException"/> with
/// <see cref="ProfileApiFailureReason.SuppressionListSecretMismatch"/> (not transient), so nothing is sent unchecked.</remarks>
public sealed class RedisSuppressionList : ISuppressionList, IDisposable
{
    /// <summary>The suffix of the key, next to the set, that holds the fingerprint of the secret that wrote it.</summary>
    internal const string FingerprintSuffix = ":secret-fingerprint";

    private const int AddChunk = 1000;
    private readonly IConnectionMultiplexer _redis;
    private readonly bool _ownsConnection;
    private readonly RedisKey _key;
    private readonly ProfileIdHasher _hasher;
    private readonly TimeSpan _timeout;
    private readonly RedisKey _fingerprintKey;
    private readonly string _fingerprint;
    private volatile bool _sameSecret;

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
        _fingerprintKey = key + FingerprintSuffix;
        _fingerprint = hasher.SecretFingerprint;
    }

    /// <inheritdoc />
    public async ValueTask<bool> ContainsAsync(ProfileId id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        string hash = _hasher.Hash(id);
        await EnsureSameSecretAsync(stamp: false, cancellationToken).ConfigureAwait(false);
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
        await EnsureSameSecretAsync(stamp: false, cancellationToken).ConfigureAwait(false);
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

    private async Task<long> AddBatchAsync(List<RedisValue> batch, CancellationToken cancellationToken)
    {
        RedisValue[] values = [.. batch];
        await EnsureSameSecretAsync(stamp: true, cancellationToken).ConfigureAwait(false);
        return await RunAsync(db => db.SetAddAsync(_key, values), "changed", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Refuses a list written with another secret (or, non-empty, with no fingerprint). An empty list without a fingerprint
    /// matches nobody whatever the secret, so a lookup passes; the first addition stamps it (<c>SET NX</c>). Once the stored
    /// fingerprint is seen to be this process's, later calls skip the check.
    /// </summary>
    private async Task EnsureSameSecretAsync(bool stamp, CancellationToken cancellationToken)
    {
        if (_sameSecret)
        {
            return;
        }

        var (stored, listExists) = await RunAsync(
            async db =>
            {
                var fingerprint = db.StringGetAsync(_fingerprintKey);
                var exists = db.KeyExistsAsync(_key);
                return (await fingerprint.ConfigureAwait(false), await exists.ConfigureAwait(false));
            },
            "read",
            cancellationToken).ConfigureAwait(false);
        if (stored.IsNull)
        {
            if (listExists)
            {
                throw new ProfileApiException(
                    ProfileApiFailureReason.SuppressionListSecretMismatch,
                    "The Redis suppression list (RedisSuppressionOptions.Key) holds hashes but no secret fingerprint (it was written before fingerprints were recorded), so it cannot be shown to match TargetProfileUpdate:Privacy:HashSecret; nothing was sent. If it was written with the configured secret, stamp it once: SET the key '"
                    + (string?)_fingerprintKey + "' to '" + _fingerprint + "' (the configured secret's fingerprint, which reveals nothing about it).",
                    statusCode: null, responseBody: null, attempts: 0, isTransient: false, innerException: null);
            }

            if (!stamp)
            {
                return;
            }

            if (await RunAsync(db => db.StringSetAsync(_fingerprintKey, _fingerprint, when: When.NotExists), "written", cancellationToken).ConfigureAwait(false))
            {
                _sameSecret = true;
                return;
            }

            // Another process stamped it first.
            stored = await RunAsync(db => db.StringGetAsync(_fingerprintKey), "read", cancellationToken).ConfigureAwait(false);
        }

        if (stored != _fingerprint)
        {
            throw new ProfileApiException(
                ProfileApiFailureReason.SuppressionListSecretMismatch,
                "The Redis suppression list (RedisSuppressionOptions.Key) was written with another TargetProfileUpdate:Privacy:HashSecret than this process's (the secret fingerprints stored next to it and computed here differ), so its hashes would match nobody and erased people would be written again; nothing was sent. Set Privacy:HashSecret to the secret that wrote the list, the same in every process.",
                statusCode: null, responseBody: null, attempts: 0, isTransient: false, innerException: null);
        }

        _sameSecret = true;
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
