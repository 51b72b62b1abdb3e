using System;
using System.Collections.Generic;

namespace TargetProfileUpdate;

/// <summary>An exclusive claim on one profile id's pending updates, from <see cref="IProfileDeliveryStore.ClaimDueAsync"/>.</summary>
public sealed class PendingProfileClaim
{
    /// <summary>Creates a claim (stores create them).</summary>
    /// <param name="id">The profile id.</param>
    /// <param name="updates">Its pending updates, oldest first (at least one).</param>
    /// <param name="token">The store's own token for the claim (opaque to callers).</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="updates"/> is empty.</exception>
    public PendingProfileClaim(ProfileId id, IReadOnlyList<PendingProfileUpdate> updates, string token)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(updates);
        ArgumentNullException.ThrowIfNull(token);
        if (updates.Count == 0)
        {
            throw new ArgumentException("A claim holds at least one pending update.", nameof(updates));
        }

        Id = id;
        Updates = updates;
        Token = token;
    }

    /// <summary>Gets the profile id.</summary>
    public ProfileId Id { get; }

    /// <summary>Gets the pending updates, oldest first.</summary>
    public IReadOnlyList<PendingProfileUpdate> Updates { get; }

    /// <summary>Gets the store's token for the claim.</summary>
    public string Token { get; }
}
