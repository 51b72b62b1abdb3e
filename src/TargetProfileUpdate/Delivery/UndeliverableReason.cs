namespace TargetProfileUpdate;

/// <summary>Why a deferred update was given up (see <see cref="UndeliverableProfileUpdate.Reason"/>).</summary>
public enum UndeliverableReason
{
    /// <summary>The profile did not appear within <see cref="ProfileDeliveryOptions.GiveUpAfter"/>.</summary>
    ProfileNeverAppeared = 0,

    /// <summary>The profile appeared, but sending the update failed with a failure that will not pass by trying again
    /// (for example a rejection or an update over the size limits).</summary>
    SendFailed = 1,

    /// <summary>The profile was put on the account's <see cref="ISuppressionList"/> (erased through Privacy Service) while the
    /// update was held: it was given up before anything was fetched or sent (the exception is a
    /// <see cref="ProfileSuppressedException"/>).</summary>
    Suppressed = 2,
}
