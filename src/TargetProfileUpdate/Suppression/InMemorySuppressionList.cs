using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate;

/// <summary>
/// The default <see cref="ISuppressionList"/>: keyed hashes in this process's memory, lost when it ends. An empty list costs
/// no hashing per update. Thread-safe.
/// </summary>
public sealed class InMemorySuppressionList : ISuppressionList
{
    private readonly ConcurrentDictionary<string, byte> _hashes = new(StringComparer.Ordinal);
    private readonly ProfileIdHasher _hasher;
    private int _count;

    /// <summary>Creates an empty list.</summary>
    /// <param name="hasher">Hashes the ids (the account's, from <see cref="ProfilePrivacyOptions.HashSecret"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="hasher"/> is <see langword="null"/>.</exception>
    public InMemorySuppressionList(ProfileIdHasher hasher)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        _hasher = hasher;
    }

    /// <summary>Gets how many ids are on the list.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <inheritdoc />
    public ValueTask<bool> ContainsAsync(ProfileId id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return new(Volatile.Read(ref _count) != 0 && _hashes.ContainsKey(_hasher.Hash(id)));
    }

    /// <inheritdoc />
    public ValueTask AddAsync(IEnumerable<ProfileId> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        foreach (var id in ids)
        {
            ArgumentNullException.ThrowIfNull(id, nameof(ids));
            if (_hashes.TryAdd(_hasher.Hash(id), 0))
            {
                Interlocked.Increment(ref _count);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveAsync(ProfileId id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        bool removed = _hashes.TryRemove(_hasher.Hash(id), out _);
        if (removed)
        {
            Interlocked.Decrement(ref _count);
        }

        return new(removed);
    }
}
