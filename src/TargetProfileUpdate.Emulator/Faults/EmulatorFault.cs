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

    /// <summary>Refuse a bulk batch: HTTP 200 with <c>&lt;success&gt;false&lt;/success&gt;</c> and <see cref="EmulatorFault.Body"/> as the message.</summary>
    BatchRefused,

    /// <summary>Accept a bulk batch that never completes: its status stays <c>stuck</c> and none of its rows is applied.</summary>
    BatchStuck,

    /// <summary>Accept a Privacy Service request whose jobs end in <c>error</c>, with <see cref="EmulatorFault.Body"/> as Target's message; nothing is erased.</summary>
    PrivacyJobFailed,
}

/// <summary>Which endpoint a scripted fault waits for.</summary>
public enum EmulatorFaultTarget
{
    /// <summary>The single profile update and profile fetch endpoints (the default, and the only target of random faults).</summary>
    Profile,

    /// <summary>The IMS token endpoint, <c>POST /ims/token/v3</c>.</summary>
    ImsToken,

    /// <summary>The Admin API token endpoint, <c>GET|POST /{tenant}/target/authentication/token</c>.</summary>
    AdminToken,

    /// <summary>The bulk upload endpoints, <c>POST /m2/{clientCode}[/v2]/profile/batchUpdate</c>.</summary>
    BatchUpdate,

    /// <summary>The batch status endpoints, <c>GET /m2/{clientCode}[/v2]/profile/batchStatus</c>.</summary>
    BatchStatus,

    /// <summary>The Admin API's profile attribute list, <c>GET /{tenant}/target/profileattributes/mbox</c>.</summary>
    ProfileAttributes,

    /// <summary>The Privacy Service, <c>POST /data/core/privacy/jobs</c> and <c>GET /data/core/privacy/jobs/{jobId}</c>.</summary>
    PrivacyJobs,
}

/// <summary>
/// One injected fault. Scripted faults apply to the next requests of their <see cref="Target"/> in order
/// (by default the profile update and fetch endpoints), or to the <see cref="CallNumber"/>th one when set.
/// </summary>
public sealed record EmulatorFault
{
    /// <summary>Gets what the fault does.</summary>
    public EmulatorFaultKind Kind { get; init; }

    /// <summary>Gets the endpoint the fault waits for. Default: <see cref="EmulatorFaultTarget.Profile"/>.</summary>
    public EmulatorFaultTarget Target { get; init; }

    /// <summary>Gets the call to the <see cref="Target"/> (1 for the first since start or reset) that meets the fault;
    /// <see langword="null"/> (the default) for the next call.</summary>
    public int? CallNumber { get; init; }

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

    /// <summary>Returns this fault aimed at another endpoint, for example <c>EmulatorFault.Status(500).For(EmulatorFaultTarget.ImsToken)</c>.</summary>
    /// <param name="target">The endpoint.</param>
    /// <returns>The fault.</returns>
    public EmulatorFault For(EmulatorFaultTarget target) => this with { Target = target };

    /// <summary>Returns this fault for the <paramref name="callNumber"/>th call to its target since start or reset, instead of the next one.</summary>
    /// <param name="callNumber">1 for the first call.</param>
    /// <returns>The fault.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="callNumber"/> is less than 1.</exception>
    public EmulatorFault OnCall(int callNumber)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(callNumber, 1);
        return this with { CallNumber = callNumber };
    }

    /// <summary>Makes the next IMS token request fail with a status code.</summary>
    /// <param name="statusCode">The status code. Default: 500.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault ImsTokenFailure(int statusCode = 500) => Status(statusCode).For(EmulatorFaultTarget.ImsToken);

    /// <summary>Makes the next Admin API token request fail with a status code.</summary>
    /// <param name="statusCode">The status code. Default: 500.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault AdminTokenFailure(int statusCode = 500) => Status(statusCode).For(EmulatorFaultTarget.AdminToken);

    /// <summary>A burst of 503 answers on the next <paramref name="count"/> calls to <paramref name="target"/>.</summary>
    /// <param name="count">How many calls meet a 503.</param>
    /// <param name="target">The endpoint. Default: <see cref="EmulatorFaultTarget.BatchUpdate"/>.</param>
    /// <param name="retryAfterSeconds">A <c>Retry-After</c> to send, if any. Default: 1.</param>
    /// <returns>The faults, to pass to <c>InjectFaults</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    public static EmulatorFault[] ServiceUnavailableBurst(int count, EmulatorFaultTarget target = EmulatorFaultTarget.BatchUpdate, int? retryAfterSeconds = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var faults = new EmulatorFault[count];
        Array.Fill(faults, Status(503, retryAfterSeconds).For(target));
        return faults;
    }

    /// <summary>Refuses the <paramref name="batchNumber"/>th <c>batchUpdate</c> call with HTTP 200 and <c>&lt;success&gt;false&lt;/success&gt;</c>.</summary>
    /// <param name="batchNumber">1 for the first <c>batchUpdate</c> call since start or reset (retries count as calls).</param>
    /// <param name="message">The <c>&lt;message&gt;</c> of the answer.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault RefuseBatch(int batchNumber, string message = "Batch could not be processed") =>
        new EmulatorFault { Kind = EmulatorFaultKind.BatchRefused, Body = message, Target = EmulatorFaultTarget.BatchUpdate }.OnCall(batchNumber);

    /// <summary>Fails the <paramref name="batchNumber"/>th <c>batchUpdate</c> call with a status code (for example 400).</summary>
    /// <param name="batchNumber">1 for the first <c>batchUpdate</c> call since start or reset (retries count as calls).</param>
    /// <param name="statusCode">The status code. Default: 400.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault FailBatch(int batchNumber, int statusCode = 400) =>
        Status(statusCode).For(EmulatorFaultTarget.BatchUpdate).OnCall(batchNumber);

    /// <summary>Accepts the next Privacy Service request (<c>POST /data/core/privacy/jobs</c>) with jobs that end in <c>error</c>
    /// once processed; nothing is erased.</summary>
    /// <param name="message">Target's message in the job's product response.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault FailPrivacyJob(string message = "Target could not process the request") =>
        new() { Kind = EmulatorFaultKind.PrivacyJobFailed, Body = message, Target = EmulatorFaultTarget.PrivacyJobs };

    /// <summary>Accepts the next <c>batchUpdate</c> call as a batch whose status stays <c>stuck</c>; none of its rows is applied.</summary>
    /// <returns>The fault.</returns>
    public static EmulatorFault StuckBatch() => new() { Kind = EmulatorFaultKind.BatchStuck, Target = EmulatorFaultTarget.BatchUpdate };
}
