using System;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using TargetProfileUpdate.Resilience;

namespace TargetProfileUpdate.Http;

/// <summary>
/// The one answer to "why did this call fail, and is it worth trying again": the transience table the retry predicate,
/// the circuit breaker and the classifier share; the classifier (what ended a call → <see cref="ProfileApiFailureReason"/>
/// and a message written by the SDK, never server-supplied text); and the one factory that picks the exception type.
/// </summary>
internal static class ProfileApiFailures
{
    /// <summary>Statuses worth retrying: 408, 429, 500, 502, 503 and 504.</summary>
    public static bool IsTransient(int status) => status is 408 or 429 or 500 or 502 or 503 or 504;

    /// <summary>Statuses that count against the circuit breaker: 5xx and 408; never 429, which is about rate, not health.</summary>
    public static bool IsServerFailure(int status) => status is >= 500 or 408;

    /// <summary>Exceptions worth retrying: connection failures, attempt timeouts, and cancellations that are not the caller's
    /// (the caller's are never retried: the predicate checks the token first). Refusals by a strategy are final.</summary>
    public static bool IsTransient(Exception exception) =>
        exception is HttpRequestException or TimeoutRejectedException or IOException
            || (exception is OperationCanceledException && exception is not ExecutionRejectedException);

    /// <summary>The one exception factory: the type follows from the reason (and, for the token endpoints, from the step).</summary>
    public static ProfileApiException Create(
        ProfileApiEndpoint endpoint,
        ProfileApiFailureReason reason,
        string message,
        int? statusCode = null,
        string? responseBody = null,
        int attempts = 0,
        bool isTransient = false,
        TimeSpan? retryAfter = null,
        Exception? innerException = null)
    {
        if (endpoint.IsTokenEndpoint || reason == ProfileApiFailureReason.Authentication)
        {
            return new ProfileApiAuthenticationException(endpoint.Step, message, statusCode, responseBody, attempts, isTransient, innerException);
        }

        return reason is ProfileApiFailureReason.ClientRateLimited or ProfileApiFailureReason.ServerRateLimited
            ? new ProfileApiRateLimitedException(message, retryAfter, statusCode, attempts, innerException, responseBody)
            : new ProfileApiException(reason, message, statusCode, responseBody, attempts, isTransient, innerException);
    }

    /// <summary>Classifies a call that ended without a final response.</summary>
    /// <param name="endpoint">The operation.</param>
    /// <param name="exception">What ended it.</param>
    /// <param name="facts">The call's attempts.</param>
    /// <param name="elapsed">How long the call took, from its start (queueing and token included).</param>
    /// <param name="options">The endpoint's resilience options (which limit ended a timeout).</param>
    /// <param name="lastBody">The allow-listed body of the last answer, for a circuit that opened after attempts.</param>
    public static ProfileApiException FromException(ProfileApiEndpoint endpoint, Exception exception, AttemptFacts facts, TimeSpan elapsed, ProfileApiResilienceOptions options, string? lastBody)
    {
        int attempts = facts.Attempts;
        string what = endpoint.What;
        switch (exception)
        {
            case ProfileApiException api:
                return api;
            case ObjectDisposedException:
                return Create(endpoint, ProfileApiFailureReason.Disposed, what + " was abandoned: the client was disposed while it was in flight.", attempts: attempts, innerException: exception);
            case ClientRateLimitedException limited:
                return Create(endpoint, ProfileApiFailureReason.ClientRateLimited,
                    string.Create(CultureInfo.InvariantCulture,
                        $"{what} was refused by the client-side quota or rate limiter; nothing was sent for this attempt ({attempts} attempt(s) sent before).{(limited.RetryAfter is { } r ? $" A permit returns in {r.TotalSeconds:0.###} s." : string.Empty)}"),
                    attempts: attempts, isTransient: true, retryAfter: limited.RetryAfter);
            case BrokenCircuitException when attempts == 0:
                return Create(endpoint, ProfileApiFailureReason.CircuitOpen,
                    what + " was not sent: the circuit breaker is open after repeated server failures and fails fast until it closes.",
                    isTransient: true, innerException: exception);
            case BrokenCircuitException:
                return Create(endpoint, ProfileApiFailureReason.CircuitOpen,
                    string.Create(CultureInfo.InvariantCulture,
                        $"{what} stopped after {attempts} attempt(s): the circuit breaker opened after repeated server failures.{(facts.LastStatus is { } s ? $" Last answer: HTTP {s}." : string.Empty)}"),
                    facts.LastStatus, facts.LastStatus is null ? null : lastBody, attempts, true, facts.LastRetryAfter, exception);
            case TimeoutRejectedException timeout:
                bool total = !options.Enabled || timeout.Timeout < options.AttemptTimeout;
                string limit = total
                    ? string.Create(CultureInfo.InvariantCulture, $"the total limit (TotalTimeout {options.TotalTimeout.TotalSeconds:0.###} s) ended it")
                    : string.Create(CultureInfo.InvariantCulture, $"the attempt limit (AttemptTimeout {options.AttemptTimeout.TotalSeconds:0.###} s) ended its last attempt");
                return Create(endpoint, ProfileApiFailureReason.Timeout,
                    string.Create(CultureInfo.InvariantCulture, $"{what} timed out after {elapsed.TotalSeconds:0.###} s and {attempts} attempt(s): {limit}."),
                    attempts: attempts, isTransient: true,
                    innerException: new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"The call did not complete: {limit}, after {elapsed.TotalSeconds:0.###} s.")));
            case OperationCanceledException:
                return Create(endpoint, ProfileApiFailureReason.Timeout,
                    string.Create(CultureInfo.InvariantCulture, $"{what} timed out after {elapsed.TotalSeconds:0.###} s and {attempts} attempt(s)."),
                    attempts: attempts, isTransient: true, innerException: new TimeoutException("The HTTP request timed out."));
            case ForeignOriginException:
                return Create(endpoint, ProfileApiFailureReason.ForeignOrigin,
                    what + " was answered from another origin than it was sent to (a handler followed a redirect); the answer was refused. Do not add redirect-following handlers.",
                    attempts: attempts, innerException: exception);
            case HttpRequestException or IOException:
                return Create(endpoint, ProfileApiFailureReason.ConnectionFailure,
                    string.Create(CultureInfo.InvariantCulture, $"{what} failed: no response was received (connection failure) after {attempts} attempt(s)."),
                    attempts: attempts, isTransient: true, innerException: WithoutServerText(exception));
            default:
                return Create(endpoint, ProfileApiFailureReason.Unexpected,
                    string.Create(CultureInfo.InvariantCulture, $"{what} failed before a response was received ({exception.GetType().Name})."),
                    attempts: attempts, innerException: exception);
        }
    }

    /// <summary>Classifies a final response whose status is not an answer of the endpoint.</summary>
    public static ProfileApiException FromStatus(ProfileApiEndpoint endpoint, int status, AttemptFacts facts, string? body, string? hint)
    {
        int attempts = facts.Attempts;
        if (status == 429)
        {
            var retryAfter = facts.LastRetryAfter;
            return Create(endpoint, ProfileApiFailureReason.ServerRateLimited,
                string.Create(CultureInfo.InvariantCulture,
                    $"{endpoint.Server} refused {endpoint.LowerWhat} for rate reasons: HTTP 429, {attempts} attempt(s){(retryAfter is { } r ? $", retry after {r.TotalSeconds:0.###} s" : string.Empty)}.{hint}"),
                status, body, attempts, true, retryAfter);
        }

        hint ??= status switch
        {
            >= 300 and < 400 => " The redirect was not followed: a request is never re-sent to another origin. Check BaseAddress and ClientCode.",
            401 or 403 when !endpoint.IsTokenEndpoint => " The account requires a valid profile API token: check AuthorizationToken or the AdobeIms settings (see README, Troubleshooting).",
            _ => string.Empty,
        };
        return Create(endpoint, status is 401 or 403 ? ProfileApiFailureReason.Authentication : ProfileApiFailureReason.HttpError,
            string.Create(CultureInfo.InvariantCulture, $"{endpoint.Server} did not accept {endpoint.LowerWhat}: HTTP {status}, {attempts} attempt(s).{hint}"),
            status, body, attempts, IsTransient(status), facts.LastRetryAfter);
    }

    /// <summary>
    /// A copy of a transport failure that keeps what a caller branches on (the exception type, its
    /// <see cref="HttpRequestError"/>, a <see cref="SocketError"/> below it, the status code) and none of the runtime's
    /// text: SocketsHttpHandler quotes the bytes a server sent in its messages ("Received an invalid header line: '…'",
    /// a chunk size line as hex), and a server may echo the profile id, a value or the token there.
    /// </summary>
    internal static Exception WithoutServerText(Exception exception)
    {
        var chain = new StringBuilder();
        SocketException? socket = null;
        int depth = 0;
        for (var e = exception; e is not null && depth < 8; e = e.InnerException, depth++)
        {
            chain.Append(depth == 0 ? string.Empty : " <- ").Append(e.GetType().Name);
            switch (e)
            {
                case HttpRequestException h:
                    chain.Append('(').Append(h.HttpRequestError.ToString()).Append(')');
                    break;
                case HttpIOException io:
                    chain.Append('(').Append(io.HttpRequestError.ToString()).Append(')');
                    break;
                case SocketException se:
                    socket ??= se;
                    chain.Append('(').Append(se.SocketErrorCode.ToString()).Append(')');
                    break;
            }
        }

        string message = "The HTTP transport failed: " + chain + ". The runtime's own messages are not kept: they can quote what the server sent.";
        Exception? inner = socket is null ? null : new SocketException((int)socket.SocketErrorCode);
        return exception switch
        {
            HttpRequestException h => new HttpRequestException(h.HttpRequestError, message, inner, h.StatusCode),
            HttpIOException io => new HttpIOException(io.HttpRequestError, message, inner),
            _ => new IOException(message, inner),
        };
    }
}

/// <summary>The answer came from another origin than the request went to (a handler followed a redirect); it is refused.</summary>
internal sealed class ForeignOriginException() : Exception("The answer came from another origin than the request was sent to; it was refused.");
