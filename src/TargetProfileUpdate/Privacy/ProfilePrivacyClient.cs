using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TargetProfileUpdate.Configuration;
using TargetProfileUpdate.DependencyInjection;
using TargetProfileUpdate.Diagnostics;
using TargetProfileUpdate.Privacy;

namespace TargetProfileUpdate;

/// <summary>
/// Erases and exports Adobe Target profiles through Adobe Privacy Service (<c>POST {Privacy:BaseAddress}data/core/privacy/jobs</c>,
/// <c>GET …/jobs/{jobId}</c>), authenticated with the account's IMS access token (<c>Authorization: Bearer</c>, <c>x-api-key</c>,
/// <c>x-gw-ims-org-id</c>). Registered by <c>AddTargetProfileUpdate</c> for every account; sealed, immutable and thread-safe.
/// </summary>
/// <remarks>
/// <para>Each id is one user whose <c>key</c> is an HMAC of the id (<see cref="ProfilePrivacyOptions.HashSecret"/>): Adobe's UI
/// and logs show the key, never the id. Users go in requests of at most <see cref="MaxUsersPerRequest"/>, one after the other.
/// Calls are retried like the other endpoints (connection failures, timeouts, 408/429/5xx). Load testing Privacy Service is
/// forbidden by Adobe: test against the emulator.</para>
/// <para>Answers are never put into exceptions (a job answer lists the person's ids); Target's message in a status has the
/// job's own ids masked.</para>
/// </remarks>
public sealed class ProfilePrivacyClient : IProfilePrivacyClient, IDisposable
{
    /// <summary>The most users Privacy Service accepts in one request: 1,000.</summary>
    public const int MaxUsersPerRequest = 1000;

    /// <summary>The most of an answer read: 1 MiB (1,000 jobs are about 200 KB).</summary>
    internal const int MaxAnswerBytes = 1024 * 1024;

    private static readonly string[] TargetOnly = ["Target"];
    private static readonly string[] DeleteAction = ["delete"];
    private static readonly string[] AccessAction = ["access"];

    private readonly TargetAccount _account;
    private readonly ServiceProvider? _ownedServices;
    private readonly ILogger _logger;
    private readonly Uri _jobsUri;
    private readonly string _jobsUrl;

    /// <summary>
    /// Creates a client without DI, over the same handler chain, IMS flow and pipeline as the DI registration (built by the
    /// same code), disposed with the client. Create one and reuse it.
    /// </summary>
    /// <param name="options">The options (with <c>AdobeIms</c> and <c>Privacy:ImsOrgId</c>); validated now, as DI validates them.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">The options are invalid; the message names each field.</exception>
    public ProfilePrivacyClient(TargetProfileUpdateOptions options)
        : this(Standalone.Create(options, null, null, null))
    {
    }

    /// <summary>The DI-free chain over a given clock, loggers and primary handler (tests).</summary>
    internal ProfilePrivacyClient(TargetProfileUpdateOptions options, TimeProvider? timeProvider, ILoggerFactory? loggerFactory, HttpMessageHandler? primaryHandler)
        : this(Standalone.Create(options, timeProvider, loggerFactory, primaryHandler))
    {
    }

    private ProfilePrivacyClient((TargetAccount Account, ServiceProvider Services) standalone)
        : this(standalone.Account)
    {
        _ownedServices = standalone.Services;
    }

    internal ProfilePrivacyClient(TargetAccount account)
    {
        _account = account;
        _logger = account.LoggerFactory.CreateLogger<ProfilePrivacyClient>();
        _jobsUrl = account.Options.Privacy.EffectiveBaseAddress.AbsoluteUri + "data/core/privacy/jobs";
        _jobsUri = new Uri(_jobsUrl, UriKind.Absolute);
    }

    /// <summary>The clock the jobs of this client poll on.</summary>
    internal TimeProvider Time => _account.Time;

    /// <summary>The account's suppression list (what a deletion adds its ids to).</summary>
    internal ISuppressionList Suppression => _account.Suppression;

    /// <inheritdoc />
    public Task<PrivacyRequestResult> RequestDeletionAsync(IEnumerable<ProfileId> ids, string regulation, CancellationToken cancellationToken = default) =>
        Request(ids, regulation, PrivacyAction.Delete, cancellationToken);

    /// <inheritdoc />
    public Task<PrivacyRequestResult> RequestAccessAsync(IEnumerable<ProfileId> ids, string regulation, CancellationToken cancellationToken = default) =>
        Request(ids, regulation, PrivacyAction.Access, cancellationToken);

    /// <inheritdoc />
    public PrivacyJob GetJob(string jobId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        return new PrivacyJob(jobId, this, _account.Time);
    }

    /// <inheritdoc />
    public Task<PrivacyJobStatus> GetJobStatusAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        ThrowIfNotConfigured();
        return GetStatusCoreAsync(jobId, cancellationToken);
    }

    /// <summary>Disposes what a client created without DI owns; a DI client's account lives with its container.</summary>
    public void Dispose()
    {
        if (_ownedServices is not null)
        {
            _account.Dispose();
            _ownedServices.Dispose();
        }
    }

    /// <summary>The bytes of one request's body (exact; tests compare them).</summary>
    internal byte[] BuildBody(IReadOnlyList<ProfileId> users, string regulation, PrivacyAction action, out Dictionary<string, int> keys)
    {
        keys = new Dictionary<string, int>(users.Count, StringComparer.Ordinal);
        var entries = new PrivacyUser[users.Count];
        var actions = action == PrivacyAction.Delete ? DeleteAction : AccessAction;
        for (int i = 0; i < entries.Length; i++)
        {
            var id = users[i];
            string key = _account.Hasher.UserKey(id);
            keys[key] = i;
            entries[i] = new PrivacyUser
            {
                Key = key,
                Action = actions,
                UserIds = [new PrivacyUserId { Namespace = Namespace(id.Kind), Value = id.Value, Type = IdType(id.Kind) }],
            };
        }

        return JsonSerializer.SerializeToUtf8Bytes(
            new CreateJobsRequest
            {
                CompanyContexts = [new CompanyContext { Namespace = "imsOrgID", Value = _account.Options.Privacy.ImsOrgId! }],
                Users = entries,
                Include = TargetOnly,
                Regulation = regulation,
            },
            PrivacyJsonContext.Default.CreateJobsRequest);
    }

    /// <summary>The Privacy Service namespace of an id kind: <c>ECID</c>, <c>TNTID</c> or <c>THIRDPARTYID</c>.</summary>
    internal static string Namespace(ProfileIdKind kind) => kind switch
    {
        ProfileIdKind.PcId => "TNTID",
        ProfileIdKind.ThirdPartyId => "THIRDPARTYID",
        _ => "ECID",
    };

    /// <summary>The namespace qualifier: <c>target</c> for third-party ids, <c>standard</c> for ECID and TNTID.</summary>
    internal static string IdType(ProfileIdKind kind) => kind == ProfileIdKind.ThirdPartyId ? "target" : "standard";

    private Task<PrivacyRequestResult> Request(IEnumerable<ProfileId> ids, string regulation, PrivacyAction action, CancellationToken cancellationToken)
    {
        var distinct = PrivacyRequestRules.Validate(ids, regulation);
        ThrowIfNotConfigured();
        return cancellationToken.IsCancellationRequested
            ? Task.FromCanceled<PrivacyRequestResult>(cancellationToken)
            : RequestCoreAsync(distinct, regulation, action, cancellationToken);
    }

    private void ThrowIfNotConfigured()
    {
        if (string.IsNullOrEmpty(_account.Options.Privacy.ImsOrgId))
        {
            throw new InvalidOperationException(
                OptionKeys.Privacy + "ImsOrgId is required to call Adobe Privacy Service (your IMS organization id, ending with '@AdobeOrg'). Nothing was sent.");
        }

        if (_account.ImsTokens is null)
        {
            throw new InvalidOperationException(
                "Adobe Privacy Service is called with an IMS access token: set " + OptionKeys.AdobeIms + "ClientId, ClientSecret, Scopes and Tenant (the OAuth Server-to-Server credential, with the Privacy Service API added to its project). Nothing was sent.");
        }
    }

    /// <summary>
    /// The requests one after the other, under one activity. A request that fails after others succeeded becomes a
    /// <see cref="PrivacyRequestException"/> that carries their jobs; a first request's failure propagates as it is.
    /// </summary>
    private async Task<PrivacyRequestResult> RequestCoreAsync(List<ProfileId> ids, string regulation, PrivacyAction action, CancellationToken cancellationToken)
    {
        string actionTag = action == PrivacyAction.Delete ? "delete" : "access";
        using var activity = ProfileApiInstruments.ActivitySource.StartActivity(ProfileApiInstruments.PrivacyRequestActivityName, ActivityKind.Internal);
        activity?.SetTag("target.privacy.action", actionTag);
        var jobs = new List<PrivacyJob>(ids.Count);
        int requests = 0;
        string outcome = "failed";
        string org = _account.Options.Privacy.ImsOrgId!;
        string apiKey = _account.Options.AdobeIms.ClientId!;
        try
        {
            for (int start = 0; start < ids.Count; start += MaxUsersPerRequest)
            {
                var chunk = ids.GetRange(start, Math.Min(MaxUsersPerRequest, ids.Count - start));
                List<PrivacyJob> created;
                try
                {
                    if (action == PrivacyAction.Delete && _account.Options.Privacy.SuppressOnDeletion)
                    {
                        // Before the request: nothing may be written to a person whose erasure is under way.
                        await SuppressAsync(chunk, cancellationToken).ConfigureAwait(false);
                    }

                    byte[] body = BuildBody(chunk, regulation, action, out var keys);
                    created = await _account.PrivacyCall.SendAsync<PrivacyJobsRequest, List<PrivacyJob>>(
                        new PrivacyJobsRequest(this, _jobsUri, body, org, apiKey, chunk, keys, action), cancellationToken).ConfigureAwait(false);
                }
                catch (ProfileApiException ex) when (requests > 0)
                {
                    throw new PrivacyRequestException(
                        string.Create(CultureInfo.InvariantCulture,
                            $"{ex.Message} {requests} request(s) before it succeeded ({jobs.Count} job(s), in PartialResult); the ids from position {start} on have no job."),
                        new PrivacyRequestResult(jobs, requests), start, ex);
                }

                jobs.AddRange(created);
                requests++;
            }

            outcome = "accepted";
            Log.PrivacyRequested(_logger, actionTag, requests, jobs.Count);
            return new PrivacyRequestResult(jobs, requests);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = "canceled";
            throw;
        }
        finally
        {
            _account.Telemetry.PrivacyJobs.Add(jobs.Count, new KeyValuePair<string, object?>("action", actionTag));
            if (activity is not null)
            {
                activity.SetTag("target.privacy.requests", requests);
                activity.SetTag("target.privacy.jobs", jobs.Count);
                activity.SetTag("target.privacy.outcome", outcome);
                if (outcome != "accepted")
                {
                    activity.SetStatus(ActivityStatusCode.Error, outcome);
                }
            }
        }
    }

    /// <summary>Adds one request's ids to the suppression list; a list that cannot be written is a transient
    /// <see cref="ProfileApiFailureReason.SuppressionListUnavailable"/> failure (nothing is sent for those ids), whose
    /// message and inner exception never carry the list's own error (it may name a stored hash).</summary>
    private async Task SuppressAsync(List<ProfileId> chunk, CancellationToken cancellationToken)
    {
        try
        {
            await _account.Suppression.AddAsync(chunk, cancellationToken).ConfigureAwait(false);
        }
        catch (ProfileApiException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new ProfileApiException(ProfileApiFailureReason.SuppressionListUnavailable,
                "The suppression list could not be written (" + ex.GetType().Name + "), so the deletion was not requested for these ids (their updates could not be refused). Try again when the list is reachable.",
                statusCode: null, responseBody: null, attempts: 0, isTransient: true, innerException: null);
        }
    }

    private Task<PrivacyJobStatus> GetStatusCoreAsync(string jobId, CancellationToken cancellationToken) =>
        _account.PrivacyCall.SendAsync<PrivacyJobStatusRequest, PrivacyJobStatus>(
            new PrivacyJobStatusRequest(jobId, new Uri(_jobsUrl + "/" + Uri.EscapeDataString(jobId), UriKind.Absolute), _account.Options.Privacy.ImsOrgId!, _account.Options.AdobeIms.ClientId!),
            cancellationToken).AsTask();
}
