using System;

namespace TargetProfileUpdate;

/// <summary>
/// An update was not accepted by Adobe Target: the server rejected it, it timed out, the connection
/// failed, or the client refused to send it. The message never contains profile ids, attribute values
/// or tokens.
/// </summary>
public class ProfileUpdateException : Exception
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
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ResponseBody = responseBody;
        Attempts = attempts;
        IsTransient = isTransient;
    }

    /// <summary>Gets the HTTP status of the last response, or <see langword="null"/> when no response arrived.</summary>
    public int? StatusCode { get; }

    /// <summary>Gets the start of the last response body (at most 512 characters), with the profile id,
    /// attribute values and token replaced by <c>***</c>; <see langword="null"/> when there was none.</summary>
    public string? ResponseBody { get; }

    /// <summary>Gets how many HTTP attempts were made (0 when nothing was sent).</summary>
    public int Attempts { get; }

    /// <summary>Gets whether the failure is transient, so sending the same update later may succeed.</summary>
    public bool IsTransient { get; }
}
