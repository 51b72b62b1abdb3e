using System;

namespace TargetProfileUpdate;

/// <summary>An update held in the pending store until its profile exists. Immutable; publicly constructible for stores and tests.</summary>
public sealed class PendingProfileUpdate
{
    /// <summary>Creates a pending update.</summary>
    /// <param name="update">The update (stores keep it as it is now; later changes to the instance are not seen).</param>
    /// <param name="deferredAt">When it was deferred; <see cref="ProfileDeliveryOptions.GiveUpAfter"/> counts from here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="update"/> is <see langword="null"/>.</exception>
    public PendingProfileUpdate(ProfileUpdate update, DateTimeOffset deferredAt)
    {
        ArgumentNullException.ThrowIfNull(update);
        Update = update;
        DeferredAt = deferredAt;
    }

    /// <summary>Gets the update.</summary>
    public ProfileUpdate Update { get; }

    /// <summary>Gets the profile it is for.</summary>
    public ProfileId Id => Update.Id;

    /// <summary>Gets when it was deferred.</summary>
    public DateTimeOffset DeferredAt { get; }

    /// <summary>Describes it without personal data.</summary>
    /// <returns>A summary that is safe to log.</returns>
    public override string ToString() => "PendingProfileUpdate(" + Id + ", deferred " + DeferredAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture) + ")";
}
