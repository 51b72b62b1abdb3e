using System;

namespace TargetProfileUpdate;

/// <summary>Counts of a pending store, never ids.</summary>
public sealed class ProfileDeliveryStoreStatistics
{
    /// <summary>Creates the statistics.</summary>
    /// <param name="pendingUpdates">How many updates are pending.</param>
    /// <param name="oldestDeferredAt">When the oldest pending update was deferred; <see langword="null"/> when none is pending.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pendingUpdates"/> is negative.</exception>
    public ProfileDeliveryStoreStatistics(long pendingUpdates, DateTimeOffset? oldestDeferredAt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pendingUpdates);
        PendingUpdates = pendingUpdates;
        OldestDeferredAt = oldestDeferredAt;
    }

    /// <summary>Gets how many updates are pending.</summary>
    public long PendingUpdates { get; }

    /// <summary>Gets when the oldest pending update was deferred, or <see langword="null"/>.</summary>
    public DateTimeOffset? OldestDeferredAt { get; }
}
