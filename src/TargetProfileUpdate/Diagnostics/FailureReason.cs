namespace TargetProfileUpdate.Diagnostics;

/// <summary>
/// Why a call failed, set where the failure is classified (never guessed later from an exception's shape).
/// Logs, activity tags and metrics read <see cref="FailureReasons.ToTag"/>, a value from this fixed set.
/// </summary>
internal enum FailureReason
{
    /// <summary>Not failed (or not classified yet).</summary>
    None,

    /// <summary>Refused before sending: over the GET/POST (or bulk) size limit.</summary>
    TooLarge,

    /// <summary>Refused before sending by the client-side quota or rate limiter.</summary>
    ClientRateLimited,

    /// <summary>The server answered 429 (or 503 with a wait longer than the client may take, for bulk).</summary>
    ServerRateLimited,

    /// <summary>An attempt or the whole call ran out of time.</summary>
    Timeout,

    /// <summary>The circuit breaker was open before anything was sent.</summary>
    CircuitOpen,

    /// <summary>The circuit breaker opened after attempts went on the wire.</summary>
    CircuitOpenedAfterAttempts,

    /// <summary>No response: the connection failed or dropped.</summary>
    ConnectionFailure,

    /// <summary>HTTP 2xx with an answer that says <c>false</c>.</summary>
    Rejected,

    /// <summary>HTTP 2xx with an answer that is not a known result.</summary>
    UnknownAnswer,

    /// <summary>A non-2xx status that is not one of the above.</summary>
    HttpError,

    /// <summary>Authentication failed: IMS, the Admin API, or the profile endpoint's 401/403.</summary>
    Authentication,

    /// <summary>The client was disposed while the call was in flight.</summary>
    Disposed,

    /// <summary>The caller canceled.</summary>
    Canceled,

    /// <summary>Anything else (a bug or an unexpected exception type).</summary>
    Unexpected,
}

/// <summary>Tag values of <see cref="FailureReason"/>.</summary>
internal static class FailureReasons
{
    public static string ToTag(this FailureReason reason) => reason switch
    {
        FailureReason.None => "none",
        FailureReason.TooLarge => "too_large",
        FailureReason.ClientRateLimited => "rate_limited",
        FailureReason.ServerRateLimited => "rate_limited",
        FailureReason.Timeout => "timeout",
        FailureReason.CircuitOpen => "circuit_open",
        FailureReason.CircuitOpenedAfterAttempts => "circuit_open",
        FailureReason.ConnectionFailure => "connection_failure",
        FailureReason.Rejected => "rejected",
        FailureReason.UnknownAnswer => "unknown_answer",
        FailureReason.HttpError => "http_error",
        FailureReason.Authentication => "authentication",
        FailureReason.Disposed => "disposed",
        FailureReason.Canceled => "canceled",
        _ => "unexpected",
    };
}
