using System;

namespace TargetProfileUpdate;

/// <summary>
/// Authentication failed: Adobe IMS or the Target Admin API did not issue a token, or a profile endpoint refused the
/// token (401/403) even after one forced refresh. <see cref="Step"/> says which. Never contains a secret.
/// </summary>
public sealed class ProfileApiAuthenticationException : ProfileApiException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="step">The step that failed.</param>
    /// <param name="message">The message; must not contain secrets.</param>
    /// <param name="statusCode">The HTTP status, or <see langword="null"/> when no response arrived.</param>
    /// <param name="responseBody">The start of the response body, already redacted, or <see langword="null"/>.</param>
    /// <param name="attempts">How many HTTP attempts were made.</param>
    /// <param name="isTransient">Whether trying again later may succeed.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ProfileApiAuthenticationException(AuthenticationStep step, string message, int? statusCode, string? responseBody = null, int attempts = 0, bool isTransient = false, Exception? innerException = null)
        : base(message, statusCode, responseBody, attempts, isTransient, innerException)
    {
        Step = step;
    }

    /// <summary>Gets the step that failed.</summary>
    public AuthenticationStep Step { get; }
}
