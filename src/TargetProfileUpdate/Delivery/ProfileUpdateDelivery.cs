namespace TargetProfileUpdate;

/// <summary>What happened to an update that did not fail: see <see cref="ProfileUpdateResult.Delivery"/>.</summary>
public enum ProfileUpdateDelivery
{
    /// <summary>The update was sent and Adobe Target accepted (queued) it.</summary>
    Sent = 0,

    /// <summary>The profile does not exist yet: the update was not sent but held in the account's pending store, to be
    /// sent once the profile exists (see <see cref="UnknownProfileHandling.Defer"/>). Neither accepted nor failed.</summary>
    Deferred = 1,
}
