using System;
using Microsoft.Extensions.Logging;
using TargetProfileUpdate.Diagnostics;

namespace TargetProfileUpdate.Http;

/// <summary>
/// What the call envelope needs to know about one operation of an API: its tag, its activity, how messages name it, the
/// authentication step its 401/403 (or any failure, for the token endpoints) is reported as, and its two log lines with
/// their own event ids. One static instance per operation; a new endpoint adds one line here.
/// </summary>
internal sealed class ProfileApiEndpoint
{
    public static readonly ProfileApiEndpoint Update = new("update", "The profile update", ProfileApiInstruments.UpdateActivityName, "target.profile_update", "Adobe Target", AuthenticationStep.ProfileEndpoint, 2, "ProfileUpdateAccepted", 4, "ProfileUpdateFailed");
    public static readonly ProfileApiEndpoint Fetch = new("fetch", "The profile fetch", ProfileApiInstruments.FetchActivityName, "target.profile_fetch", "Adobe Target", AuthenticationStep.ProfileEndpoint, 20, "ProfileFetchSucceeded", 21, "ProfileFetchFailed");
    public static readonly ProfileApiEndpoint BulkUpload = new("bulk", "The bulk batch", ProfileApiInstruments.BulkBatchActivityName, "target.bulk", "Adobe Target", AuthenticationStep.ProfileEndpoint, 30, "BulkBatchAccepted", 31, "BulkBatchFailed");
    public static readonly ProfileApiEndpoint BulkStatus = new("bulk_status", "The batch status request", ProfileApiInstruments.BulkStatusActivityName, "target.bulk_status", "Adobe Target", AuthenticationStep.ProfileEndpoint, 32, "BulkStatusRead", 33, "BulkStatusFailed");
    public static readonly ProfileApiEndpoint Ims = new("ims", "The IMS token request", ProfileApiInstruments.ImsActivityName, "target.ims", "Adobe IMS", AuthenticationStep.Ims, 40, "ImsTokenIssued", 41, "ImsTokenFailed");
    public static readonly ProfileApiEndpoint Admin = new("admin", "The Admin API token request", ProfileApiInstruments.AdminActivityName, "target.admin", "The Target Admin API", AuthenticationStep.AdminApi, 42, "AdminTokenAnswered", 43, "AdminTokenFailed");

    /// <summary>The tenant's attribute catalog (Admin API, IMS token): a 401/403 is the Admin API's authentication failure, any
    /// other failure an ordinary one (it is not a token endpoint).</summary>
    public static readonly ProfileApiEndpoint Catalog = new("catalog", "The attribute catalog request", ProfileApiInstruments.CatalogActivityName, "target.catalog", "The Target Admin API", AuthenticationStep.AdminApi, 44, "AttributeCatalogRead", 45, "AttributeCatalogFailed", tokenEndpoint: false);

    public static readonly ProfileApiEndpoint Privacy = new("privacy", "The privacy job request", ProfileApiInstruments.PrivacyJobsActivityName, "target.privacy", "Adobe Privacy Service", AuthenticationStep.ProfileEndpoint, 50, "PrivacyJobsCreated", 51, "PrivacyJobsFailed");
    public static readonly ProfileApiEndpoint PrivacyStatus = new("privacy_status", "The privacy job status request", ProfileApiInstruments.PrivacyStatusActivityName, "target.privacy_status", "Adobe Privacy Service", AuthenticationStep.ProfileEndpoint, 52, "PrivacyJobStatusRead", 53, "PrivacyJobStatusFailed");

    private ProfileApiEndpoint(string name, string what, string activityName, string tagPrefix, string server, AuthenticationStep step, int succeededId, string succeededName, int failedId, string failedName, bool? tokenEndpoint = null)
    {
        IsTokenEndpoint = tokenEndpoint ?? step != AuthenticationStep.ProfileEndpoint;
        Name = name;
        What = what;
        ActivityName = activityName;
        OutcomeTag = tagPrefix + ".outcome";
        AttemptsTag = tagPrefix + ".attempts";
        Step = step;
        Server = server;
        SucceededEventId = new EventId(succeededId, succeededName);
        FailedEventId = new EventId(failedId, failedName);
        string title = char.ToUpperInvariant(what[4]) + what[5..];
        Succeeded = LoggerMessage.Define<string, int, double, string>(LogLevel.Debug, SucceededEventId,
            title + " succeeded: {Outcome}, {Attempts} attempt(s), {ElapsedMilliseconds} ms, account '{Account}'.");
        // A token endpoint's failure is logged at Information: the provider may keep a still-valid token, and when it cannot,
        // the profile call it served ends with its own warning.
        Failed = LoggerMessage.Define<string, int?, int, double, bool, string>(!IsTokenEndpoint ? LogLevel.Warning : LogLevel.Information, FailedEventId,
            title + " failed: {Reason}, status {StatusCode}, {Attempts} attempt(s), {ElapsedMilliseconds} ms, transient: {IsTransient}, account '{Account}'.");
    }

    /// <summary>The <c>endpoint</c> tag: <c>update</c>, <c>fetch</c>, <c>bulk</c>, <c>bulk_status</c>, <c>ims</c>, <c>admin</c>, <c>privacy</c>, <c>privacy_status</c>.</summary>
    public string Name { get; }

    /// <summary>How messages name the call: <c>The profile update</c>.</summary>
    public string What { get; }

    /// <summary>Who answers, for messages: <c>Adobe Target</c>, <c>Adobe IMS</c>, <c>The Target Admin API</c>, <c>Adobe Privacy Service</c>.</summary>
    public string Server { get; }

    public string ActivityName { get; }

    public string OutcomeTag { get; }

    public string AttemptsTag { get; }

    /// <summary>The step a 401/403 (or, for the token endpoints, any failure) is reported as: <see cref="AuthenticationStep.ProfileEndpoint"/>
    /// for the profile APIs, <see cref="AuthenticationStep.AdminApi"/> for the Admin API's calls.</summary>
    public AuthenticationStep Step { get; }

    /// <summary>Whether every failure is an authentication failure of <see cref="Step"/> (the IMS and Admin API token calls);
    /// otherwise only a final 401/403 is.</summary>
    public bool IsTokenEndpoint { get; }

    /// <summary>The event id of <see cref="Succeeded"/> (unique in the assembly, like every event id).</summary>
    public EventId SucceededEventId { get; }

    /// <summary>The event id of <see cref="Failed"/>.</summary>
    public EventId FailedEventId { get; }

    /// <summary>The final log line of a call that succeeded (Debug): outcome, attempts, elapsed ms, account.</summary>
    public Action<ILogger, string, int, double, string, Exception?> Succeeded { get; }

    /// <summary>The final log line of a call that failed (Warning; Information for the token endpoints): reason, status, attempts, elapsed ms, transient, account.</summary>
    public Action<ILogger, string, int?, int, double, bool, string, Exception?> Failed { get; }

    /// <summary>The message's subject in the middle of a sentence: <c>the profile update</c>.</summary>
    public string LowerWhat => "the " + What[4..];
}
