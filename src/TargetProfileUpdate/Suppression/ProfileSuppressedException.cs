using System;

namespace TargetProfileUpdate;

/// <summary>
/// An update was refused before anything was sent: its profile is on the account's <see cref="ISuppressionList"/> (its data
/// was erased through Privacy Service). Not transient: the same update is refused until the id is removed from the list.
/// <see cref="ProfileApiException.Reason"/> is <see cref="ProfileApiFailureReason.Suppressed"/>. The message names no id.
/// </summary>
public sealed class ProfileSuppressedException : ProfileApiException
{
    /// <summary>The message of every suppression refusal.</summary>
    public const string DefaultMessage =
        "The profile is on the account's suppression list (its data was erased through Privacy Service); nothing was sent. Remove the id from ISuppressionList only if the person may be written again.";

    /// <summary>Creates the exception with <see cref="DefaultMessage"/>.</summary>
    public ProfileSuppressedException()
        : base(ProfileApiFailureReason.Suppressed, DefaultMessage, statusCode: null, responseBody: null, attempts: 0, isTransient: false, innerException: null)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message; must not contain personal data.</param>
    public ProfileSuppressedException(string message)
        : base(ProfileApiFailureReason.Suppressed, message, statusCode: null, responseBody: null, attempts: 0, isTransient: false, innerException: null)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message; must not contain personal data.</param>
    /// <param name="innerException">The cause.</param>
    public ProfileSuppressedException(string message, Exception? innerException)
        : base(ProfileApiFailureReason.Suppressed, message, statusCode: null, responseBody: null, attempts: 0, isTransient: false, innerException)
    {
    }
}
