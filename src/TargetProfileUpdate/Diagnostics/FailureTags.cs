namespace TargetProfileUpdate.Diagnostics;

/// <summary>The tag values of the call outcomes: a fixed set, never an exception message.</summary>
internal static class FailureTags
{
    public const string Canceled = "canceled";

    /// <summary>The lower-case tag of a failure reason, for logs, activities and metrics.</summary>
    public static string ToTag(this ProfileApiFailureReason reason) => reason switch
    {
        ProfileApiFailureReason.TooLarge => "too_large",
        ProfileApiFailureReason.ClientRateLimited => "rate_limited",
        ProfileApiFailureReason.ServerRateLimited => "rate_limited",
        ProfileApiFailureReason.Timeout => "timeout",
        ProfileApiFailureReason.CircuitOpen => "circuit_open",
        ProfileApiFailureReason.ConnectionFailure => "connection_failure",
        ProfileApiFailureReason.Rejected => "rejected",
        ProfileApiFailureReason.UnexpectedAnswer => "unknown_answer",
        ProfileApiFailureReason.HttpError => "http_error",
        ProfileApiFailureReason.Authentication => "authentication",
        ProfileApiFailureReason.Disposed => "disposed",
        ProfileApiFailureReason.ForeignOrigin => "foreign_origin",
        ProfileApiFailureReason.Suppressed => "suppressed",
        ProfileApiFailureReason.SuppressionListUnavailable => "suppression_unavailable",
        ProfileApiFailureReason.SuppressionListSecretMismatch => "suppression_secret_mismatch",
        _ => "unexpected",
    };
}
