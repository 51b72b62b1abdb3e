using System;

namespace TargetProfileUpdate;

/// <summary>
/// A call to one of Adobe Target's profile APIs (update, fetch, bulk, or the token endpoints behind them) failed:
/// the server refused it, it timed out, the connection failed, or the client refused to send it. The base of
/// every exception the SDK throws for a failed call. The message never contains profile ids, attribute values,
/// tokens or client secrets, and never any text the server supplied.
/// </summary>
public class ProfileApiException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">The message; must not contain personal data or secrets.</param>
    public ProfileApiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    /// <param name="message">The message; must not contain personal data or secrets.</param>
    /// <param name="innerException">The cause.</param>
    public ProfileApiException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception describing a failed call.</summary>
    /// <param name="message">The message; must not contain personal data or secrets.</param>
    /// <param name="statusCode">The HTTP status of the last response, or <see langword="null"/> when none arrived.</param>
    /// <param name="responseBody">The start of the last response body, already redacted, or <see langword="null"/>.</param>
    /// <param name="attempts">How many HTTP attempts were made.</param>
    /// <param name="isTransient">Whether trying again later may succeed.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ProfileApiException(string message, int? statusCode, string? responseBody, int attempts, bool isTransient, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ResponseBody = responseBody;
        Attempts = attempts;
        IsTransient = isTransient;
    }

    /// <summary>Gets the HTTP status of the last response, or <see langword="null"/> when no response arrived.</summary>
    public int? StatusCode { get; }

    /// <summary>Gets the start of the last response body (at most 512 characters), with profile ids,
    /// attribute values and tokens replaced by <c>***</c>; <see langword="null"/> when there was none.</summary>
    public string? ResponseBody { get; }

    /// <summary>Gets how many HTTP attempts were made (0 when nothing was sent).</summary>
    public int Attempts { get; }

    /// <summary>Gets whether the failure is transient, so making the same call later may succeed.</summary>
    public bool IsTransient { get; }
}
