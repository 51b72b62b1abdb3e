using System;

namespace TargetProfileUpdate;

/// <summary>
/// A call was refused for rate or quota reasons, by any endpoint: Adobe answered HTTP 429 (or a <c>Retry-After</c> longer
/// than the SDK may wait), or the client-side quota or rate limiter refused it before sending (<see cref="ProfileApiException.StatusCode"/>
/// is then <see langword="null"/>). Wait <see cref="RetryAfter"/> before sending again.
/// </summary>
public sealed class ProfileApiRateLimitedException : ProfileApiException
{
    /// <summary>Creates the exception (<see cref="ProfileApiException.Reason"/> is <see cref="ProfileApiFailureReason.ClientRateLimited"/>
    /// without a status, else <see cref="ProfileApiFailureReason.ServerRateLimited"/>).</summary>
    /// <param name="message">The message; must not contain personal data.</param>
    /// <param name="retryAfter">How long to wait before trying again, when known.</param>
    /// <param name="statusCode">The HTTP status, or <see langword="null"/> when the client refused before sending.</param>
    /// <param name="attempts">How many HTTP attempts were made.</param>
    /// <param name="innerException">The cause, if any.</param>
    /// <param name="responseBody">The allow-listed part of the server's answer, or <see langword="null"/>.</param>
    public ProfileApiRateLimitedException(string message, TimeSpan? retryAfter, int? statusCode = 429, int attempts = 0, Exception? innerException = null, string? responseBody = null)
        : base(statusCode is null ? ProfileApiFailureReason.ClientRateLimited : ProfileApiFailureReason.ServerRateLimited, message, statusCode, responseBody, attempts, isTransient: true, innerException)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>Gets how long to wait before trying again, when the server or the client-side limiter said.</summary>
    public TimeSpan? RetryAfter { get; }
}
