using System;

namespace TargetProfileUpdate.Emulator;

/// <summary>What the emulator does instead of (or before) answering a profile request normally.</summary>
public enum EmulatorFaultKind
{
    /// <summary>Answer with <see cref="EmulatorFault.StatusCode"/> (and <see cref="EmulatorFault.RetryAfter"/> when set).</summary>
    Status,

    /// <summary>Wait <see cref="EmulatorFault.Delay"/>, then answer normally.</summary>
    Delay,

    /// <summary>Abort the connection without an answer.</summary>
    DropConnection,

    /// <summary>Answer 307 with a <c>Location</c> of <see cref="EmulatorFault.Location"/>.</summary>
    Redirect,

    /// <summary>Answer 200 with <see cref="EmulatorFault.Body"/> of <see cref="EmulatorFault.ContentType"/> (a <c>false</c> or HTML body).</summary>
    Body,
}

/// <summary>One injected fault. Scripted faults apply to the next profile requests in order.</summary>
public sealed record EmulatorFault
{
    /// <summary>Gets what the fault does.</summary>
    public EmulatorFaultKind Kind { get; init; }

    /// <summary>Gets the status code of a <see cref="EmulatorFaultKind.Status"/> fault.</summary>
    public int StatusCode { get; init; }

    /// <summary>Gets the <c>Retry-After</c> seconds sent with a status fault, if any.</summary>
    public int? RetryAfter { get; init; }

    /// <summary>Gets the delay of a <see cref="EmulatorFaultKind.Delay"/> fault.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Gets the target of a <see cref="EmulatorFaultKind.Redirect"/> fault.</summary>
    public string? Location { get; init; }

    /// <summary>Gets the body of a <see cref="EmulatorFaultKind.Body"/> fault.</summary>
    public string? Body { get; init; }

    /// <summary>Gets the content type of a <see cref="EmulatorFaultKind.Body"/> fault.</summary>
    public string ContentType { get; init; } = "text/plain";

    /// <summary>Answers with a status code, for example 503 or 500.</summary>
    /// <param name="statusCode">The status code.</param>
    /// <param name="retryAfterSeconds">A <c>Retry-After</c> to send, if any.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault Status(int statusCode, int? retryAfterSeconds = null) =>
        new() { Kind = EmulatorFaultKind.Status, StatusCode = statusCode, RetryAfter = retryAfterSeconds };

    /// <summary>Answers 429 with <c>Retry-After</c>.</summary>
    /// <param name="retryAfterSeconds">The seconds to send.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault TooManyRequests(int retryAfterSeconds) => Status(429, retryAfterSeconds);

    /// <summary>Waits before answering normally.</summary>
    /// <param name="delay">How long to wait.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault Slow(TimeSpan delay) => new() { Kind = EmulatorFaultKind.Delay, Delay = delay };

    /// <summary>Drops the connection without answering.</summary>
    /// <returns>The fault.</returns>
    public static EmulatorFault Drop() => new() { Kind = EmulatorFaultKind.DropConnection };

    /// <summary>Answers 307 to another location.</summary>
    /// <param name="location">Where to redirect.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault RedirectTo(string location) => new() { Kind = EmulatorFaultKind.Redirect, Location = location };

    /// <summary>Answers 200 with a <c>false</c> rejection body.</summary>
    /// <returns>The fault.</returns>
    public static EmulatorFault FalseBody() => new() { Kind = EmulatorFaultKind.Body, Body = "falseRequest could not be processed" };

    /// <summary>Answers 200 with an HTML page, as a misconfigured proxy would.</summary>
    /// <returns>The fault.</returns>
    public static EmulatorFault HtmlBody() => new() { Kind = EmulatorFaultKind.Body, Body = "<!DOCTYPE html><html><body><h1>Maintenance</h1></body></html>", ContentType = "text/html" };
}
