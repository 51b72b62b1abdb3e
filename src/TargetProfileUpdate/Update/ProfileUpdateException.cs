using System;

namespace TargetProfileUpdate;

/// <summary>
/// An update was not accepted by Adobe Target: the server rejected it, it timed out, the connection
/// failed, or the client refused to send it. The message never contains profile ids, attribute values
/// or tokens.
/// </summary>
public class ProfileUpdateException : ProfileApiException
{
    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">The message; must not contain personal data.</param>
    public ProfileUpdateException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    /// <param name="message">The message; must not contain personal data.</param>
    /// <param name="innerException">The cause.</param>
    public ProfileUpdateException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception describing a failed update.</summary>
    /// <param name="message">The message; must not contain personal data.</param>
    /// <param name="statusCode">The HTTP status of the last response, or <see langword="null"/> when none arrived.</param>
    /// <param name="responseBody">The start of the last response body, already redacted, or <see langword="null"/>.</param>
    /// <param name="attempts">How many HTTP attempts were made.</param>
    /// <param name="isTransient">Whether trying again later may succeed.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ProfileUpdateException(string message, int? statusCode, string? responseBody, int attempts, bool isTransient, Exception? innerException = null)
        : base(message, statusCode, responseBody, attempts, isTransient, innerException)
    {
    }
}
