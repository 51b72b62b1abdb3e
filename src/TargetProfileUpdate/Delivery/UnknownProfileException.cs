using System;

namespace TargetProfileUpdate;

/// <summary>
/// The update was not sent because its profile does not exist: Adobe Target would have accepted it and silently dropped it.
/// Thrown with <see cref="UnknownProfileHandling.Reject"/>. Nothing was sent (<see cref="ProfileApiException.Attempts"/> is 0);
/// it is transient, since the profile may be created by a visit later. The message never contains the id.
/// </summary>
public sealed class UnknownProfileException : ProfileUpdateException
{
    /// <summary>Creates the exception with the standard message.</summary>
    public UnknownProfileException()
        : this("Adobe Target has no profile for this id (never created by a visit, or expired): the update was not sent, since the Single Profile Update API would accept and drop it. Send it once the visitor has made a Target call, or use UnknownProfileHandling.Defer.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message; must not contain personal data.</param>
    public UnknownProfileException(string message)
        : base(message, statusCode: null, responseBody: null, attempts: 0, isTransient: true)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message; must not contain personal data.</param>
    /// <param name="innerException">The cause.</param>
    public UnknownProfileException(string message, Exception? innerException)
        : base(message, statusCode: null, responseBody: null, attempts: 0, isTransient: true, innerException)
    {
    }
}
