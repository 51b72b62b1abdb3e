namespace TargetProfileUpdate;

/// <summary>The outcome of a whole verified update (see <see cref="ProfileVerificationResult.Outcome"/>).</summary>
public enum VerificationOutcome
{
    /// <summary>Every attribute landed.</summary>
    Landed = 0,

    /// <summary>At least one attribute is missing.</summary>
    NotLanded = 1,

    /// <summary>None is missing, and at least one was superseded by a newer value.</summary>
    Superseded = 2,

    /// <summary>The profile does not exist (never created, or expired).</summary>
    ProfileMissing = 3,
}
