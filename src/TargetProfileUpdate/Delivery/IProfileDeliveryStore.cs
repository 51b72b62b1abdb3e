using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate;

/// <summary>
/// Where deferred updates wait for their profile (see <see cref="UnknownProfileHandling.Defer"/>): per profile id, a list of
/// updates in the order they were deferred, and when the id is next due for a check. The default is a bounded in-memory store;
/// <c>TargetProfileUpdate.Redis</c> provides one that survives restarts and is shared by every instance.
/// </summary>
/// <remarks>
/// <para>Implementations must be thread-safe, and claims must be exclusive: while one caller holds a claim on an id, no
/// other caller (in this process or another) gets a claim on it, so each pending update is sent once. Updates added for
/// an id while it is claimed are appended after the claimed ones and are not removed by <see cref="RemoveAsync"/>.</para>
/// <para>A store never drops an update: when it cannot take one it throws, and the caller's update fails.</para>
/// </remarks>
public interface IProfileDeliveryStore
{
    /// <summary>Appends the update to its id's list when the id already has pending updates (so a newer update never
    /// overtakes an older deferred one); does nothing otherwise.</summary>
    /// <param name="update">The update.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when it was appended.</returns>
    /// <exception cref="ProfileUpdateException">The store is full or unavailable; the update was not stored.</exception>
    Task<bool> AppendIfPendingAsync(PendingProfileUpdate update, CancellationToken cancellationToken = default);

    /// <summary>Appends the update to its id's list (creating it), due for a check at <paramref name="checkAt"/> when the id
    /// was not pending yet.</summary>
    /// <param name="update">The update.</param>
    /// <param name="checkAt">When the id is first due for a check.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the update is stored.</returns>
    /// <exception cref="ProfileUpdateException">The store is full or unavailable; the update was not stored.</exception>
    Task AddAsync(PendingProfileUpdate update, DateTimeOffset checkAt, CancellationToken cancellationToken = default);

    /// <summary>Claims up to <paramref name="maxProfiles"/> ids that are due at <paramref name="now"/> and not claimed by anyone.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="maxProfiles">The most ids to claim.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The claims, each with the id's pending updates, oldest first.</returns>
    Task<IReadOnlyList<PendingProfileClaim>> ClaimDueAsync(DateTimeOffset now, int maxProfiles, CancellationToken cancellationToken = default);

    /// <summary>Removes the first <paramref name="count"/> updates of a claim (sent or given up), while the claim is held.</summary>
    /// <param name="claim">The claim.</param>
    /// <param name="count">How many of its updates, from the oldest.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when the claim was no longer held (it expired and was taken by another caller).</returns>
    Task<bool> RemoveAsync(PendingProfileClaim claim, int count, CancellationToken cancellationToken = default);

    /// <summary>Ends a claim: an id with updates left is due again at <paramref name="checkAt"/>; an id with none is forgotten.</summary>
    /// <param name="claim">The claim.</param>
    /// <param name="checkAt">When the id is next due.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the claim is released.</returns>
    Task ReleaseAsync(PendingProfileClaim claim, DateTimeOffset checkAt, CancellationToken cancellationToken = default);

    /// <summary>Gets how many updates are pending and when the oldest was deferred (for health checks; no ids).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The statistics.</returns>
    Task<ProfileDeliveryStoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default);
}
