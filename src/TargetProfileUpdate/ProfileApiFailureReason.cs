namespace TargetProfileUpdate;

/// <summary>
/// Why a call to one of Adobe Target's profile APIs failed: <see cref="ProfileApiException.Reason"/>. Decided once, by the
/// SDK's one classifier, from what ended the call; logs, traces and metrics carry the same value (as a lower-case tag).
/// </summary>
/// <remarks>Branch on this rather than on the message. New values may be added in minor versions: keep a default branch.</remarks>
public enum ProfileApiFailureReason
{
    /// <summary>Not classified: the exception was built without a reason (for example by a test fake).</summary>
    Unknown = 0,

    /// <summary>Refused before sending: the request is over the size limit (<see cref="ProfileUpdateTooLargeException"/>).
    /// Nothing was sent; not transient.</summary>
    TooLarge = 1,

    /// <summary>Refused before sending by the client-side quota or rate limiter (<see cref="ProfileApiRateLimitedException"/>,
    /// <see cref="ProfileApiException.StatusCode"/> is <see langword="null"/>). Transient: wait
    /// <see cref="ProfileApiRateLimitedException.RetryAfter"/>.</summary>
    ClientRateLimited = 2,

    /// <summary>Adobe answered HTTP 429 (<see cref="ProfileApiRateLimitedException"/>, with the server's <c>Retry-After</c>
    /// when it sent one). Transient.</summary>
    ServerRateLimited = 3,

    /// <summary>The call ran out of time: an attempt's <c>AttemptTimeout</c> or the call's <c>TotalTimeout</c> ended it (the
    /// message says which, and how long the call really took). Transient.</summary>
    Timeout = 4,

    /// <summary>The circuit breaker is open after repeated server failures. <see cref="ProfileApiException.Attempts"/> is 0
    /// when nothing was sent, else the call's last answer is in <see cref="ProfileApiException.StatusCode"/>. Transient.</summary>
    CircuitOpen = 5,

    /// <summary>No response arrived: the connection failed or dropped. Transient.</summary>
    ConnectionFailure = 6,

    /// <summary>Adobe answered with a success status and a body that says the call was refused (<c>false</c>,
    /// <c>&lt;success&gt;false&lt;/success&gt;</c>). Not transient.</summary>
    Rejected = 7,

    /// <summary>Adobe answered with a success status but the body is not a documented answer (empty, HTML, garbled, too
    /// large), so the call is not known to have worked. Not transient.</summary>
    UnexpectedAnswer = 8,

    /// <summary>Adobe answered with another failing HTTP status (<see cref="ProfileApiException.StatusCode"/>); transient
    /// for 408, 500, 502, 503 and 504.</summary>
    HttpError = 9,

    /// <summary>Authentication failed (<see cref="ProfileApiAuthenticationException"/>, whose <c>Step</c> says where): the
    /// profile endpoint refused the token (401/403) after one forced refresh, a token was not usable, or Adobe IMS or the
    /// Target Admin API did not issue one.</summary>
    Authentication = 10,

    /// <summary>The client was disposed while the call was in flight. Not transient.</summary>
    Disposed = 11,

    /// <summary>The answer came from another origin than the request went to (a handler followed a redirect); it was refused.
    /// Not transient.</summary>
    ForeignOrigin = 12,

    /// <summary>Anything else: an unexpected exception ended the call (it is the inner exception). Not transient.</summary>
    Unexpected = 13,

    /// <summary>Refused before sending: the profile is on the account's <see cref="ISuppressionList"/> (its data was erased
    /// through Privacy Service; <see cref="ProfileSuppressedException"/>). Nothing was sent; not transient.</summary>
    Suppressed = 14,

    /// <summary>Refused before sending: the account's <see cref="ISuppressionList"/> could not be read (for example Redis is
    /// unreachable), so the update was not sent, as it may be for an erased person. The list's error is the inner exception.
    /// Transient.</summary>
    SuppressionListUnavailable = 15,

    /// <summary>Refused before sending: the account's persistent <see cref="ISuppressionList"/> was written with another
    /// <c>Privacy:HashSecret</c> (its stored secret fingerprint differs from <see cref="ProfileIdHasher.SecretFingerprint"/>),
    /// so its hashes would match nobody and erased people would be written again. Nothing is sent until the setting is the
    /// secret that wrote the list. Not transient.</summary>
    SuppressionListSecretMismatch = 16,
}
