namespace TargetProfileUpdate;

/// <summary>What <see cref="ProfileDeliveryOptions.UnknownProfiles"/> does with an update for a profile that does not exist (yet).</summary>
/// <remarks>The Single Profile Update API never creates profiles: an update for an unknown id is answered as a success and
/// silently dropped. Profiles are created by a visitor's first Target call and may take about an hour to appear.</remarks>
public enum UnknownProfileHandling
{
    /// <summary>Send every update without checking (the default, and the behaviour without delivery assurance): an update
    /// for an unknown profile is accepted by Adobe and dropped.</summary>
    Send = 0,

    /// <summary>Check through the Profile Fetch API that the profile exists before sending; an update for an unknown
    /// profile is held in the pending store, re-checked every <see cref="ProfileDeliveryOptions.RecheckInterval"/> and
    /// sent once the profile exists, or handed to <see cref="ProfileDeliveryOptions.OnGiveUp"/> after
    /// <see cref="ProfileDeliveryOptions.GiveUpAfter"/>.</summary>
    Defer = 1,

    /// <summary>Check that the profile exists before sending; an update for an unknown profile fails with
    /// <see cref="UnknownProfileException"/> and nothing is sent.</summary>
    Reject = 2,
}
