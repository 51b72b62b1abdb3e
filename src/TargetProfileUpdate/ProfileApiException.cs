using System;

namespace TargetProfileUpdate;

/// <summary>
/// A call to one of Adobe Target's profile APIs (update, fetch, bulk, or the token endpoints behind them) failed:
/// the server refused it, it timed out, the connection failed, or the client refused to send it. The base of
/// every exception the SDK throws for a failed call; <see cref="Reason"/> says why. The message never contains profile ids,
/// attribute values, tokens or client secrets, and never any text the server supplied.
/// </summary>
/// <remarks>
/// Subclasses exist only where callers act differently: <see cref="ProfileUpdateTooLargeException"/> (split the update),
/// <see cref="ProfileApiRateLimitedException"/> (wait <c>RetryAfter</c>), <see cref="ProfileApiAuthenticationException"/>
/// (fix the credentials; <c>Step</c> says where), and the partial results of <see cref="BulkUploadException"/>.
/// </remarks>
public class ProfileApiException : Exception
{
    /// <summary>Creates an exception with a message (<see cref="Reason"/> is <see cref="ProfileApiFailureReason.Unknown"/>).</summary>
    /// <param name="message">The message; must not contain personal data or secrets.</param>
    public ProfileApiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it (<see cref="Reason"/> is
    /// <see cref="ProfileApiFailureReason.Unknown"/>).</summary>
    /// <param name="message">The message; must not contain personal data or secrets.</param>
    /// <param name="innerException">The cause.</param>
    public ProfileApiException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception describing a failed call; <see cref="Reason"/> follows from the status
    /// (<see cref="ProfileApiFailureReason.Authentication"/> for 401/403, <see cref="ProfileApiFailureReason.ServerRateLimited"/>
    /// for 429, else <see cref="ProfileApiFailureReason.HttpError"/>; <see cref="ProfileApiFailureReason.Unknown"/> without one).</summary>
    /// <param name="message">The message; must not contain personal data or secrets.</param>
    /// <param name="statusCode">The HTTP status of the last response, or <see langword="null"/> when none arrived.</param>
    /// <param name="responseBody">The allow-listed part of the last response body, or <see langword="null"/>.</param>
    /// <param name="attempts">How many HTTP attempts were made.</param>
    /// <param name="isTransient">Whether trying again later may succeed.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ProfileApiException(string message, int? statusCode, string? responseBody, int attempts, bool isTransient, Exception? innerException)
        : this(ReasonOf(statusCode), message, statusCode, responseBody, attempts, isTransient, innerException)
    {
    }

    /// <summary>Creates an exception describing a failed call, without a cause; <see cref="Reason"/> follows from the status as in
    /// <see cref="ProfileApiException(string, int?, string?, int, bool, Exception?)"/>.</summary>
    /// <param name="message">The message; must not contain personal data or secrets.</param>
    /// <param name="statusCode">The HTTP status of the last response, or <see langword="null"/> when none arrived.</param>
    /// <param name="responseBody">The allow-listed part of the last response body, or <see langword="null"/>.</param>
    /// <param name="attempts">How many HTTP attempts were made.</param>
    /// <param name="isTransient">Whether trying again later may succeed.</param>
    public ProfileApiException(string message, int? statusCode, string? responseBody, int attempts, bool isTransient)
        : this(ReasonOf(statusCode), message, statusCode, responseBody, attempts, isTransient, null)
    {
    }

    /// <summary>Creates an exception describing a failed call, with its reason.</summary>
    /// <param name="reason">Why the call failed.</param>
    /// <param name="message">The message; must not contain personal data or secrets.</param>
    /// <param name="statusCode">The HTTP status of the last response, or <see langword="null"/> when none arrived.</param>
    /// <param name="responseBody">The allow-listed part of the last response body, or <see langword="null"/>.</param>
    /// <param name="attempts">How many HTTP attempts were made.</param>
    /// <param name="isTransient">Whether trying again later may succeed.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ProfileApiException(ProfileApiFailureReason reason, string message, int? statusCode, string? responseBody, int attempts, bool isTransient, Exception? innerException)
        : base(message, innerException)
    {
        Reason = reason;
        StatusCode = statusCode;
        ResponseBody = responseBody;
        Attempts = attempts;
        IsTransient = isTransient;
    }

    /// <summary>Gets why the call failed.</summary>
    public ProfileApiFailureReason Reason { get; }

    /// <summary>Gets the HTTP status of the last response, or <see langword="null"/> when no response arrived.</summary>
    public int? StatusCode { get; }

    /// <summary>Gets the known fields of the last response body when it was a documented answer shape (at most 512
    /// characters); <see langword="null"/> when there was none or it was not a known shape. Never free text a server could
    /// have filled with a profile id, an attribute value or a token.</summary>
    public string? ResponseBody { get; }

    /// <summary>Gets how many HTTP requests were put on the wire (0 when nothing was sent).</summary>
    public int Attempts { get; }

    /// <summary>Gets whether the failure is transient, so making the same call later may succeed.</summary>
    public bool IsTransient { get; }

    private static ProfileApiFailureReason ReasonOf(int? status) => status switch
    {
        null => ProfileApiFailureReason.Unknown,
        401 or 403 => ProfileApiFailureReason.Authentication,
        429 => ProfileApiFailureReason.ServerRateLimited,
        _ => ProfileApiFailureReason.HttpError,
    };
}
