using System;

namespace TargetProfileUpdate;

/// <summary>
/// An update was refused for rate or quota reasons (HTTP 429, or a <c>Retry-After</c> longer than
/// the SDK may wait). Wait <see cref="RetryAfter"/> before sending again.
/// </summary>
public sealed class ProfileUpdateRateLimitedException : ProfileUpdateException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message; must not contain personal data.</param>
    /// <param name="retryAfter">How long to wait before trying again, when known.</param>
    /// <param name="statusCode">The HTTP status, or <see langword="null"/> when the client refused before sending.</param>
    /// <param name="attempts">How many HTTP attempts were made.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ProfileUpdateRateLimitedException(string message, TimeSpan? retryAfter, int? statusCode = 429, int attempts = 0, Exception? innerException = null)
        : base(message, statusCode, responseBody: null, attempts, isTransient: true, innerException)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>Gets how long to wait before trying again, when the server or the quota guard said.</summary>
    public TimeSpan? RetryAfter { get; }
}
