using System;

namespace TargetProfileUpdate;

/// <summary>
/// A Privacy Service request failed after earlier requests of the same call succeeded: their jobs are in
/// <see cref="PartialResult"/>, and the ids from <see cref="FirstUnsentIndex"/> on (in the order given, duplicates removed)
/// have no job. The failed request's own exception (a <see cref="ProfileApiAuthenticationException"/> for a 401/403) is the
/// inner exception, and its <see cref="ProfileApiException.Reason"/> is this one's. When the first request fails, its own
/// exception is thrown instead. The message names no id.
/// </summary>
public sealed class PrivacyRequestException : ProfileApiException
{
    /// <summary>Creates the exception (for example in a test of your own code).</summary>
    /// <param name="message">The message; must not contain personal data.</param>
    /// <param name="partialResult">The jobs created before the failure.</param>
    /// <param name="firstUnsentIndex">The position of the first distinct id without a job.</param>
    /// <param name="innerException">The failure of the request that failed: its <see cref="ProfileApiException.Reason"/>,
    /// status, attempts and transience are this exception's.</param>
    /// <exception cref="ArgumentNullException"><paramref name="partialResult"/> or <paramref name="innerException"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="firstUnsentIndex"/> is negative.</exception>
    public PrivacyRequestException(string message, PrivacyRequestResult partialResult, int firstUnsentIndex, ProfileApiException innerException)
        : base(
            (innerException ?? throw new ArgumentNullException(nameof(innerException))).Reason,
            message,
            innerException.StatusCode,
            null,
            innerException.Attempts,
            innerException.IsTransient,
            innerException)
    {
        ArgumentNullException.ThrowIfNull(partialResult);
        ArgumentOutOfRangeException.ThrowIfNegative(firstUnsentIndex);
        PartialResult = partialResult;
        FirstUnsentIndex = firstUnsentIndex;
    }

    /// <summary>Gets the jobs created before the failure.</summary>
    public PrivacyRequestResult PartialResult { get; }

    /// <summary>Gets the position (among the distinct ids, in the order given) of the first id without a job.</summary>
    public int FirstUnsentIndex { get; }
}
