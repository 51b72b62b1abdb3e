using System;
using Microsoft.Extensions.Logging;

namespace TargetProfileUpdate.Diagnostics;

/// <summary>
/// The SDK's log messages (the final line of every call is the endpoint's own, defined in <see cref="Http.ProfileApiEndpoint"/>:
/// event ids 2/4 update, 20/21 fetch, 30/31 bulk batch, 32/33 bulk status, 40/41 IMS, 42/43 Admin API). None carries a profile id, an attribute value, a URL or a token:
/// only methods, sizes, counts, statuses and reasons from a fixed set.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "ProfileUpdateSending", Level = LogLevel.Debug,
        Message = "Sending profile update: {HttpMethod} of {RequestBytes} bytes with {AttributeCount} attributes.")]
    public static partial void Sending(ILogger logger, string httpMethod, int requestBytes, int attributeCount);

    [LoggerMessage(EventId = 3, EventName = "ProfileUpdateRetrying", Level = LogLevel.Debug,
        Message = "Retrying {Endpoint} call after {Reason}: attempt {Attempt} follows in {DelayMilliseconds} ms.")]
    public static partial void Retrying(ILogger logger, string endpoint, string reason, int attempt, double delayMilliseconds);

    [LoggerMessage(EventId = 5, EventName = "ProfileUpdateTooLarge", Level = LogLevel.Warning,
        Message = "Profile update refused before sending: {RequestBytes} bytes exceed the {HttpMethod} limit of {LimitBytes} bytes.")]
    public static partial void TooLarge(ILogger logger, string httpMethod, int requestBytes, int limitBytes);

    [LoggerMessage(EventId = 6, EventName = "ProfileUpdateCircuitOpened", Level = LogLevel.Warning,
        Message = "The {Endpoint} circuit opened for {BreakMilliseconds} ms after repeated server failures; calls fail fast until it closes.")]
    public static partial void CircuitOpened(ILogger logger, string endpoint, double breakMilliseconds);

    [LoggerMessage(EventId = 7, EventName = "ProfileUpdateCircuitClosed", Level = LogLevel.Information,
        Message = "The {Endpoint} circuit closed; calls are sent again.")]
    public static partial void CircuitClosed(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 8, EventName = "ProfileApiTokenRefreshFailed", Level = LogLevel.Warning,
        Message = "Refreshing the profile API token failed at step {Step} (status {StatusCode}); the cached token is still valid and stays in use.")]
    public static partial void TokenRefreshFailed(ILogger logger, string step, int? statusCode);

    /// <summary>A reason from a fixed set, for logs and tags: never an exception message.</summary>
    public static string Reason(Exception exception) => exception switch
    {
        System.Net.Http.HttpRequestException => "connection failure",
        Polly.Timeout.TimeoutRejectedException => "timeout",
        Polly.CircuitBreaker.BrokenCircuitException => "circuit open",
        OperationCanceledException => "canceled",
        _ => exception.GetType().Name,
    };
}
