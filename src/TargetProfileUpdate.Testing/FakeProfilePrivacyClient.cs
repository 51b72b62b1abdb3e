using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate.Testing;

/// <summary>
/// An in-memory <see cref="IProfilePrivacyClient"/> for unit tests: it records every request, creates one job per id
/// (<c>fake-job-1</c>, …) that reads as complete with the Target outcome you <see cref="SetOutcome">set</see>
/// (<see cref="PrivacyTargetOutcome.Complete"/> by default), and, like the real client, puts the ids of a deletion on
/// its <see cref="Suppression"/> list first. Thread-safe.
/// </summary>
/// <remarks>
/// Like the real client it throws at once for a null id or regulation, no id, or a regulation that is not plain ASCII,
/// sends duplicates once, counts one request per 1,000 ids, and throws <see cref="ProfileApiException"/> (404) for a job
/// it does not know.
/// </remarks>
/// <example>
/// <code>
/// var privacy = new FakeProfilePrivacyClient();
/// await service.ForgetAsync(customerId);                     // your code, taking IProfilePrivacyClient
/// Assert.Equal(PrivacyAction.Delete, Assert.Single(privacy.Requests).Action);
/// Assert.True(await privacy.Suppression.ContainsAsync(customerId));
/// </code>
/// </example>
public sealed class FakeProfilePrivacyClient : IProfilePrivacyClient
{
    private readonly object _gate = new();
    private readonly List<FakePrivacyRequest> _requests = [];
    private readonly Dictionary<string, PrivacyJobStatus> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<ProfileId, (PrivacyTargetOutcome Outcome, string? Message)> _outcomes = [];
    private readonly TimeProvider? _timeProvider;
    private int _next;

    /// <summary>Creates a fake with its own in-memory suppression list.</summary>
    /// <param name="suppression">The list deletions add to; a new <see cref="InMemorySuppressionList"/> when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock of the jobs' polls; the system clock when <see langword="null"/>.</param>
    public FakeProfilePrivacyClient(ISuppressionList? suppression = null, TimeProvider? timeProvider = null)
    {
        Suppression = suppression ?? new InMemorySuppressionList(ProfileIdHasher.CreateRandom());
        _timeProvider = timeProvider;
    }

    /// <summary>Gets the suppression list deletions add their ids to (unless <see cref="SuppressOnDeletion"/> is off).</summary>
    public ISuppressionList Suppression { get; }

    /// <summary>Gets or sets whether deletions add their ids to <see cref="Suppression"/>. Default: <see langword="true"/>.</summary>
    public bool SuppressOnDeletion { get; set; } = true;

    /// <summary>Gets the requests so far, in arrival order.</summary>
    public IReadOnlyList<FakePrivacyRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Sets what Target answers for an id's future jobs.</summary>
    /// <param name="id">The id.</param>
    /// <param name="outcome">The outcome (for example <see cref="PrivacyTargetOutcome.NotFound"/>).</param>
    /// <param name="message">Target's message; a typical one for the outcome when <see langword="null"/>.</param>
    /// <returns>This fake.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    public FakeProfilePrivacyClient SetOutcome(ProfileId id, PrivacyTargetOutcome outcome, string? message = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            _outcomes[id] = (outcome, message);
        }

        return this;
    }

    /// <inheritdoc />
    public Task<PrivacyRequestResult> RequestDeletionAsync(IEnumerable<ProfileId> ids, string regulation, CancellationToken cancellationToken = default) =>
        Request(ids, regulation, PrivacyAction.Delete, cancellationToken);

    /// <inheritdoc />
    public Task<PrivacyRequestResult> RequestAccessAsync(IEnumerable<ProfileId> ids, string regulation, CancellationToken cancellationToken = default) =>
        Request(ids, regulation, PrivacyAction.Access, cancellationToken);

    /// <inheritdoc />
    public Task<PrivacyJobStatus> GetJobStatusAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<PrivacyJobStatus>(cancellationToken);
        }

        lock (_gate)
        {
            return _jobs.TryGetValue(jobId, out var status)
                ? Task.FromResult(status)
                : Task.FromException<PrivacyJobStatus>(new ProfileApiException("Privacy Service does not know the job (fake).", 404, null, 1, false));
        }
    }

    /// <inheritdoc />
    public PrivacyJob GetJob(string jobId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        return new PrivacyJob(jobId, this, _timeProvider);
    }

    private Task<PrivacyRequestResult> Request(IEnumerable<ProfileId> ids, string regulation, PrivacyAction action, CancellationToken cancellationToken)
    {
        var distinct = TargetProfileUpdate.Privacy.PrivacyRequestRules.Validate(ids, regulation);
        return cancellationToken.IsCancellationRequested
            ? Task.FromCanceled<PrivacyRequestResult>(cancellationToken)
            : RequestCoreAsync(distinct, regulation, action, cancellationToken);
    }

    private async Task<PrivacyRequestResult> RequestCoreAsync(List<ProfileId> ids, string regulation, PrivacyAction action, CancellationToken cancellationToken)
    {
        if (action == PrivacyAction.Delete && SuppressOnDeletion)
        {
            await Suppression.AddAsync(ids, cancellationToken).ConfigureAwait(false);
        }

        var jobs = new List<PrivacyJob>(ids.Count);
        lock (_gate)
        {
            _requests.Add(new FakePrivacyRequest(action, ids, regulation));
            foreach (var id in ids)
            {
                string jobId = "fake-job-" + (++_next).ToString(CultureInfo.InvariantCulture);
                string key = "fake-key-" + _next.ToString(CultureInfo.InvariantCulture);
                var (outcome, message) = _outcomes.TryGetValue(id, out var set) ? set : (PrivacyTargetOutcome.Complete, null);
                _jobs[jobId] = new PrivacyJobStatus(
                    jobId,
                    outcome == PrivacyTargetOutcome.Error ? PrivacyJobState.Error : PrivacyJobState.Complete,
                    outcome,
                    action: action,
                    userKey: key,
                    regulation: regulation,
                    targetMessage: message ?? outcome switch
                    {
                        PrivacyTargetOutcome.NotFound => "user context not found",
                        PrivacyTargetOutcome.NotApplicable => "company context not applicable",
                        PrivacyTargetOutcome.Error => "error",
                        _ => "Success",
                    });
                jobs.Add(new PrivacyJob(jobId, this, _timeProvider));
            }
        }

        return new PrivacyRequestResult(jobs, (ids.Count + ProfilePrivacyClient.MaxUsersPerRequest - 1) / ProfilePrivacyClient.MaxUsersPerRequest);
    }
}
