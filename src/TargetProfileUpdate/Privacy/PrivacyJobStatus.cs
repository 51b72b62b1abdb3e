using System;
using System.Collections.Generic;
using System.Globalization;

namespace TargetProfileUpdate;

/// <summary>
/// A Privacy Service job as last read (<c>GET /data/core/privacy/jobs/{jobId}</c>), with Adobe Target's answer as a typed
/// <see cref="TargetOutcome"/>. Immutable. <see cref="ToString"/> names the job and its states only, never the user key
/// or a message.
/// </summary>
public sealed class PrivacyJobStatus
{
    /// <summary>Creates a status (for example in a test of your own code).</summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="state">The job's state.</param>
    /// <param name="targetOutcome">Target's answer.</param>
    /// <param name="statusText">The job's <c>status</c> as Adobe wrote it; defaults to the state in lower case.</param>
    /// <param name="action">The job's action, when known.</param>
    /// <param name="userKey">The user key the job was created with.</param>
    /// <param name="regulation">The regulation.</param>
    /// <param name="targetMessage">Target's message (for example <c>user context not found</c>).</param>
    /// <param name="targetResponseCode">Target's <c>responseMsgCode</c>.</param>
    /// <param name="targetResponseDetail">Target's <c>responseMsgDetail</c>.</param>
    /// <param name="downloadUrl">Where an access job's data can be downloaded.</param>
    /// <param name="attributeNames">The profile attributes an access job's result names.</param>
    /// <param name="lastModified">When the job last changed.</param>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> is null, empty or white space.</exception>
    public PrivacyJobStatus(
        string jobId,
        PrivacyJobState state,
        PrivacyTargetOutcome targetOutcome,
        string? statusText = null,
        PrivacyAction? action = null,
        string? userKey = null,
        string? regulation = null,
        string? targetMessage = null,
        string? targetResponseCode = null,
        string? targetResponseDetail = null,
        Uri? downloadUrl = null,
        IReadOnlyList<string>? attributeNames = null,
        DateTimeOffset? lastModified = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        JobId = jobId;
        State = state;
        TargetOutcome = targetOutcome;
        StatusText = statusText ?? state.ToString().ToLowerInvariant();
        Action = action;
        UserKey = userKey;
        Regulation = regulation;
        TargetMessage = targetMessage;
        TargetResponseCode = targetResponseCode;
        TargetResponseDetail = targetResponseDetail;
        DownloadUrl = downloadUrl;
        AttributeNames = attributeNames is null ? [] : Array.AsReadOnly([.. attributeNames]);
        LastModified = lastModified;
    }

    /// <summary>Gets the job id.</summary>
    public string JobId { get; }

    /// <summary>Gets the job's state.</summary>
    public PrivacyJobState State { get; }

    /// <summary>Gets the job's <c>status</c> as Adobe wrote it.</summary>
    public string StatusText { get; }

    /// <summary>Gets whether the job is over (<see cref="PrivacyJobState.Complete"/> or <see cref="PrivacyJobState.Error"/>).</summary>
    public bool IsFinal => State is PrivacyJobState.Complete or PrivacyJobState.Error;

    /// <summary>Gets Target's answer.</summary>
    public PrivacyTargetOutcome TargetOutcome { get; }

    /// <summary>Gets the job's action, when the answer named a known one.</summary>
    public PrivacyAction? Action { get; }

    /// <summary>Gets the user key the job was created with (derived from the id, never the id itself).</summary>
    public string? UserKey { get; }

    /// <summary>Gets the job's regulation.</summary>
    public string? Regulation { get; }

    /// <summary>Gets Target's message, for example <c>user context not found</c>.</summary>
    public string? TargetMessage { get; }

    /// <summary>Gets Target's <c>responseMsgCode</c>.</summary>
    public string? TargetResponseCode { get; }

    /// <summary>Gets Target's <c>responseMsgDetail</c>.</summary>
    public string? TargetResponseDetail { get; }

    /// <summary>Gets where an access job's data can be downloaded (Adobe's <c>downloadURL</c>).</summary>
    public Uri? DownloadUrl { get; }

    /// <summary>Gets the names of the profile attributes an access job's result lists (empty otherwise). Values are not kept.</summary>
    public IReadOnlyList<string> AttributeNames { get; }

    /// <summary>Gets when the job last changed, when Adobe said.</summary>
    public DateTimeOffset? LastModified { get; }

    /// <summary>Describes the job by id and states only.</summary>
    /// <returns>For example <c>job 6fc09b53…: complete, Target: NotFound</c>.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"job {JobId}: {StatusText}, Target: {TargetOutcome}");
}
