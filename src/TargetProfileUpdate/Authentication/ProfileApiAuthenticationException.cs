using System;

namespace TargetProfileUpdate;

/// <summary>
/// Authentication failed: Adobe IMS or the Target Admin API did not issue a token, a token was not usable (not visible
/// ASCII), or a profile endpoint refused the token (401/403) even after one forced refresh. <see cref="Step"/> says which.
/// Thrown directly by every client (update, fetch, bulk), never wrapped. Never contains a secret.
/// </summary>
public sealed class ProfileApiAuthenticationException : ProfileApiException
{
    /// <summary>Creates the exception (<see cref="ProfileApiException.Reason"/> is <see cref="ProfileApiFailureReason.Authentication"/>).</summary>
    /// <param name="step">The step that failed.</param>
    /// <param name="message">The message; must not contain secrets.</param>
    /// <param name="statusCode">The HTTP status, or <see langword="null"/> when no response arrived.</param>
    /// <param name="responseBody">The start of the response body, already redacted, or <see langword="null"/>.</param>
    /// <param name="attempts">How many HTTP attempts were made.</param>
    /// <param name="isTransient">Whether trying again later may succeed.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ProfileApiAuthenticationException(AuthenticationStep step, string message, int? statusCode, string? responseBody = null, int attempts = 0, bool isTransient = false, Exception? innerException = null)
        : base(ProfileApiFailureReason.Authentication, message, statusCode, responseBody, attempts, isTransient, innerException)
    {
        Step = step;
    }

    /// <summary>Gets the step that failed.</summary>
    public AuthenticationStep Step { get; }
}
