using System;
using System.Net.Http;

namespace TargetProfileUpdate;

/// <summary>
/// What Adobe Target said about an accepted update. Acceptance means the update was queued:
/// it is usually visible within an hour, at most 24 hours, and an update for an unknown profile
/// is accepted and then dropped (the Single Profile Update API never creates profiles).
/// </summary>
/// <remarks>Publicly constructible so that fakes and tests of your own code can return one.</remarks>
public sealed class ProfileUpdateResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="message">The server's message, for example <c>Request successfully submitted</c>.</param>
    /// <param name="method">The HTTP method that was used.</param>
    /// <param name="attempts">How many HTTP attempts were made (1 when no retry was needed).</param>
    /// <param name="requestBytes">The size that was checked against the limit: the whole URL for GET, the body for POST.</param>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> or <paramref name="method"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attempts"/> or <paramref name="requestBytes"/> is negative.</exception>
    public ProfileUpdateResult(string message, HttpMethod method, int attempts, int requestBytes)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentOutOfRangeException.ThrowIfNegative(attempts);
        ArgumentOutOfRangeException.ThrowIfNegative(requestBytes);
        Message = message;
        HttpMethod = method;
        Attempts = attempts;
        RequestBytes = requestBytes;
    }

    private ProfileUpdateResult(string message)
    {
        Message = message;
        HttpMethod = HttpMethod.Get;
        Delivery = ProfileUpdateDelivery.Deferred;
    }

    /// <summary>Gets whether the update was sent (and accepted) or deferred until its profile exists
    /// (<see cref="UnknownProfileHandling.Defer"/>). A deferred update is neither accepted nor failed: no request was made
    /// (<see cref="Attempts"/> and <see cref="RequestBytes"/> are 0).</summary>
    public ProfileUpdateDelivery Delivery { get; }

    /// <summary>Gets the server's message, for example <c>Request successfully submitted</c>.</summary>
    public string Message { get; }

    /// <summary>Gets the HTTP method that was used (GET or POST); GET for a deferred update, which sent nothing.</summary>
    public HttpMethod HttpMethod { get; }

    /// <summary>Gets how many HTTP attempts were made, retries included.</summary>
    public int Attempts { get; }

    /// <summary>Gets the size checked against the limit: bytes of the whole URL for GET, of the body for POST.</summary>
    public int RequestBytes { get; }

    /// <summary>Creates the result of a deferred update (for fakes and tests of your own code).</summary>
    /// <param name="message">Says why it was deferred.</param>
    /// <returns>A result whose <see cref="Delivery"/> is <see cref="ProfileUpdateDelivery.Deferred"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    public static ProfileUpdateResult CreateDeferred(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new ProfileUpdateResult(message);
    }
}
