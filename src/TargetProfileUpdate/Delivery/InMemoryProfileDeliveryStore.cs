using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate.Delivery;

/// <summary>
/// The default pending store: in process memory, bounded by <see cref="ProfileDeliveryOptions.MaxPendingUpdates"/>; when
/// full an update is refused with <see cref="ProfileUpdateException"/>, never dropped. Lost when the process ends: use the
/// Redis store where deferred updates must survive a restart. One lock; due ids in a priority queue with lazy deletion.
/// </summary>
internal sealed class InMemoryProfileDeliveryStore : IProfileDeliveryStore
{
    private readonly object _gate = new();
    private readonly Dictionary<ProfileId, Entry> _entries = new();
    private readonly PriorityQueue<ProfileId, (long Due, long Sequence)> _due = new();
    private readonly int _capacity;
    private long _sequence;
    private long _count;
    private long _claims;

    public InMemoryProfileDeliveryStore(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    public Task<bool> AppendIfPendingAsync(PendingProfileUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_gate)
        {
            if (!_entries.TryGetValue(update.Id, out var entry))
            {
                return Task.FromResult(false);
            }

            ThrowIfFull();
            entry.Updates.Add(update);
            _count++;
            return Task.FromResult(true);
        }
    }

    public Task AddAsync(PendingProfileUpdate update, DateTimeOffset checkAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_gate)
        {
            ThrowIfFull();
            if (!_entries.TryGetValue(update.Id, out var entry))
            {
                entry = new Entry { Due = checkAt.UtcTicks };
                _entries.Add(update.Id, entry);
                _due.Enqueue(update.Id, (entry.Due, _sequence++));
            }

            entry.Updates.Add(update);
            _count++;
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<PendingProfileClaim>> ClaimDueAsync(DateTimeOffset now, int maxProfiles, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxProfiles, 1);
        var claims = new List<PendingProfileClaim>();
        lock (_gate)
        {
            while (claims.Count < maxProfiles && _due.TryPeek(out var id, out var due) && due.Due <= now.UtcTicks)
            {
                _due.Dequeue();

                // Lazy deletion: a queue item counts only while it matches its entry's current due time and the entry is unclaimed.
                if (_entries.TryGetValue(id, out var entry) && entry.Token is null && entry.Due == due.Due && entry.Updates.Count > 0)
                {
                    entry.Token = (++_claims).ToString(CultureInfo.InvariantCulture);
                    claims.Add(new PendingProfileClaim(id, entry.Updates.ToArray(), entry.Token));
                }
            }
        }

        return Task.FromResult<IReadOnlyList<PendingProfileClaim>>(claims);
    }

    public Task<bool> RemoveAsync(PendingProfileClaim claim, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        lock (_gate)
        {
            if (!_entries.TryGetValue(claim.Id, out var entry) || entry.Token != claim.Token)
            {
                return Task.FromResult(false);
            }

            int n = Math.Min(count, entry.Updates.Count);
            entry.Updates.RemoveRange(0, n);
            _count -= n;
            return Task.FromResult(true);
        }
    }

    public Task ReleaseAsync(PendingProfileClaim claim, DateTimeOffset checkAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        lock (_gate)
        {
            if (_entries.TryGetValue(claim.Id, out var entry) && entry.Token == claim.Token)
            {
                entry.Token = null;
                if (entry.Updates.Count == 0)
                {
                    _entries.Remove(claim.Id);
                }
                else
                {
                    entry.Due = checkAt.UtcTicks;
                    _due.Enqueue(claim.Id, (entry.Due, _sequence++));
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<ProfileDeliveryStoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            DateTimeOffset? oldest = null;
            foreach (var entry in _entries.Values)
            {
                if (entry.Updates.Count > 0 && (oldest is null || entry.Updates[0].DeferredAt < oldest))
                {
                    oldest = entry.Updates[0].DeferredAt;
                }
            }

            return Task.FromResult(new ProfileDeliveryStoreStatistics(_count, oldest));
        }
    }

    private void ThrowIfFull()
    {
        if (_count >= _capacity)
        {
            throw new ProfileUpdateException(
                string.Create(CultureInfo.InvariantCulture, $"The in-memory pending store is full ({_capacity:N0} updates, ProfileDeliveryOptions.MaxPendingUpdates): the update was neither sent nor stored. Raise MaxPendingUpdates, use the Redis delivery store, or send it again later."),
                statusCode: null,
                responseBody: null,
                attempts: 0,
                isTransient: true);
        }
    }

    private sealed class Entry
    {
        public List<PendingProfileUpdate> Updates { get; } = new(1);

        public long Due { get; set; }

        public string? Token { get; set; }
    }
}
