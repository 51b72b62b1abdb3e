using System;
using System.Globalization;
using System.IO;
using System.Net.Http;
using Polly.CircuitBreaker;
using Polly.Timeout;
using TargetProfileUpdate.Diagnostics;
using TargetProfileUpdate.Resilience;

namespace TargetProfileUpdate.Http;

/// <summary>
/// How a call failed, classified once where it is known: the reason from a fixed set, a message written by the SDK
/// (never server-supplied text such as the reason phrase), and the facts every exception of the family carries.
/// Each endpoint turns it into its own exception type.
/// </summary>
internal readonly record struct ApiFailure(
    FailureReason Reason,
    string Message,
    int? StatusCode,
    string? ResponseBody,
    int Attempts,
    bool IsTransient,
    TimeSpan? RetryAfter = null,
    Exception? Inner = null)
{
    /// <summary>Classifies a call that ended without a final response.</summary>
    /// <param name="exception">What ended it.</param>
    /// <param name="state">The call's state (attempts, last status and body).</param>
    /// <param name="what">The operation, for the message: <c>The profile update</c>.</param>
    /// <param name="redact">Redacts the last body, for a circuit that opened after attempts.</param>
    public static ApiFailure FromException(Exception exception, RequestState state, string what, BodyRedactor redact)
    {
        int attempts = state.Attempts;
        switch (exception)
        {
            case ObjectDisposedException:
                return new(FailureReason.Disposed, what + " was abandoned: the client was disposed while it was in flight.", null, null, attempts, false, Inner: exception);
            case ClientRateLimitedException limited:
                return new(FailureReason.ClientRateLimited,
                    string.Create(CultureInfo.InvariantCulture,
                        $"{what} was refused by the client-side quota or rate limiter; nothing was sent for this attempt ({attempts} attempt(s) sent before).{(limited.RetryAfter is { } r ? $" A permit returns in {r.TotalSeconds:0.###} s." : string.Empty)}"),
                    null, null, attempts, true, limited.RetryAfter);
            case ProfileApiAuthenticationException auth:
                return new(FailureReason.Authentication, what + " could not be authenticated: " + auth.Message, auth.StatusCode, null, attempts, auth.IsTransient, Inner: auth);
            case BrokenCircuitException when attempts == 0:
                return new(FailureReason.CircuitOpen,
                    what + " was not sent: the circuit breaker is open after repeated server failures and fails fast until it closes.",
                    null, null, 0, true, Inner: exception);
            case BrokenCircuitException:
                return new(FailureReason.CircuitOpenedAfterAttempts,
                    string.Create(CultureInfo.InvariantCulture,
                        $"{what} stopped after {attempts} attempt(s): the circuit breaker opened after repeated server failures.{(state.LastStatus is { } s ? $" Last answer: HTTP {s}." : string.Empty)}"),
                    state.LastStatus, state.LastStatus is null ? null : redact(state.Body), attempts, true, state.LastRetryAfter, exception);
            case TimeoutRejectedException timeout:
                return new(FailureReason.Timeout,
                    string.Create(CultureInfo.InvariantCulture, $"{what} timed out after {timeout.Timeout.TotalSeconds:0.###} s and {attempts} attempt(s)."),
                    null, null, attempts, true,
                    Inner: new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"The operation did not complete within {timeout.Timeout.TotalSeconds:0.###} s.")));
            case OperationCanceledException:
                return new(FailureReason.Timeout,
                    string.Create(CultureInfo.InvariantCulture, $"{what} timed out after {attempts} attempt(s)."),
                    null, null, attempts, true, Inner: new TimeoutException("The HTTP request timed out."));
            case ForeignOriginException:
                return new(FailureReason.HttpError,
                    what + " was answered from another origin than it was sent to (a handler followed a redirect); the answer was refused. Do not add redirect-following handlers.",
                    null, null, attempts, false, Inner: exception);
            case HttpRequestException or IOException:
                return new(FailureReason.ConnectionFailure,
                    string.Create(CultureInfo.InvariantCulture, $"{what} failed: no response was received (connection failure) after {attempts} attempt(s)."),
                    null, null, attempts, true, Inner: exception);
            default:
                return new(FailureReason.Unexpected,
                    string.Create(CultureInfo.InvariantCulture, $"{what} failed before a response was received ({exception.GetType().Name})."),
                    null, null, attempts, false, Inner: exception);
        }
    }

    /// <summary>Classifies a final response whose status is not a success of the endpoint.</summary>
    public static ApiFailure FromStatus(int status, RequestState state, string what, string? redactedBody, string? hint = null)
    {
        int attempts = state.Attempts;
        if (status == 429)
        {
            var retryAfter = state.LastRetryAfter;
            return new(FailureReason.ServerRateLimited,
                string.Create(CultureInfo.InvariantCulture,
                    $"Adobe Target refused {Lower(what)} for rate reasons: HTTP 429, {attempts} attempt(s){(retryAfter is { } r ? $", retry after {r.TotalSeconds:0.###} s" : string.Empty)}."),
                status, redactedBody, attempts, true, retryAfter);
        }

        hint ??= status switch
        {
            >= 300 and < 400 => " The redirect was not followed: a request is never re-sent to another origin. Check BaseAddress and ClientCode.",
            401 or 403 => " The account requires a valid profile API token: check AuthorizationToken or the AdobeIms settings (see README, Troubleshooting).",
            _ => string.Empty,
        };
        return new(status is 401 or 403 ? FailureReason.Authentication : FailureReason.HttpError,
            string.Create(CultureInfo.InvariantCulture, $"Adobe Target did not accept {Lower(what)}: HTTP {status}, {attempts} attempt(s).{hint}"),
            status, redactedBody, attempts, TransientStatus.IsTransient(status), state.LastRetryAfter);
    }

    /// <summary>The exception fetch, bulk and the token calls throw: <see cref="ProfileApiAuthenticationException"/> for a
    /// profile endpoint's 401/403, else <see cref="ProfileApiException"/> (updates throw their own family instead).</summary>
    public ProfileApiException ToApiException() => Reason == FailureReason.Authentication
        ? new ProfileApiAuthenticationException(AuthenticationStep.ProfileEndpoint, Message, StatusCode, ResponseBody, Attempts, false, Inner)
        : new ProfileApiException(Message, StatusCode, ResponseBody, Attempts, IsTransient, Inner);

    private static string Lower(string what) => what.Length > 0 && char.IsUpper(what[0]) && what.StartsWith("The ", StringComparison.Ordinal) ? "the " + what[4..] : what;
}

/// <summary>Redacts a response body for an exception (bounded, with the call's secrets masked).</summary>
internal delegate string? BodyRedactor(ReadOnlySpan<byte> body);
