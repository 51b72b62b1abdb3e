using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate;

/// <summary>
/// One Privacy Service job (one person, one action), as a long-running operation in the manner of Azure's <c>Operation</c>:
/// <see cref="GetStatusAsync"/> reads it once, <see cref="WaitForCompletionAsync(CancellationToken)"/> polls until it is over.
/// Only <see cref="Id"/> is needed to follow it: keep the id, and rebuild the job in any process with
/// <see cref="IProfilePrivacyClient.GetJob"/> (Adobe keeps a job's data 30 days after it completes).
/// </summary>
public sealed class PrivacyJob
{
    /// <summary>The default interval between two polls: 1 minute (products answer within hours to 30 days).</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMinutes(1);

    /// <summary>The shortest poll interval accepted: 1 second.</summary>
    public static readonly TimeSpan MinPollInterval = TimeSpan.FromSeconds(1);

    private readonly IProfilePrivacyClient _client;
    private readonly TimeProvider _time;
    private readonly PrivacyAction? _action;
    private readonly string? _userKey;
    private volatile PrivacyJobStatus? _status;

    /// <summary>Rebuilds a job from its id alone (for example in another process than the one that requested it).</summary>
    /// <param name="id">The job id.</param>
    /// <param name="client">The client of the account that created the job.</param>
    /// <param name="timeProvider">The clock the polls wait on; the system clock when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is <see langword="null"/>.</exception>
    public PrivacyJob(string id, IProfilePrivacyClient client, TimeProvider? timeProvider = null)
        : this(id, client, timeProvider, null, null, null)
    {
    }

    /// <summary>Creates a job as a request returned it, with what the requesting process knows.</summary>
    internal PrivacyJob(string id, IProfilePrivacyClient client, TimeProvider? timeProvider, PrivacyAction? action, string? userKey, ProfileId? profileId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(client);
        Id = id;
        _client = client;
        _time = timeProvider ?? TimeProvider.System;
        _action = action;
        _userKey = userKey;
        ProfileId = profileId;
    }

    /// <summary>Gets the job id: all that is needed to follow the job later.</summary>
    public string Id { get; }

    /// <summary>Gets the job's action, when known (from the request, or from the last status read).</summary>
    public PrivacyAction? Action => _action ?? _status?.Action;

    /// <summary>Gets the user key the job was created with (derived from the id; never the id).</summary>
    public string? UserKey => _userKey ?? _status?.UserKey;

    /// <summary>Gets the id the job is about; <see langword="null"/> in a job rebuilt from its id (Adobe's answer is not read for it).</summary>
    public ProfileId? ProfileId { get; }

    /// <summary>Gets the status last read, or <see langword="null"/> before the first read.</summary>
    public PrivacyJobStatus? Status => _status;

    /// <summary>Gets whether the last status read was final.</summary>
    public bool HasCompleted => _status?.IsFinal == true;

    /// <summary>Reads the job's status once and keeps it in <see cref="Status"/>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The status.</returns>
    /// <exception cref="ProfileApiAuthenticationException">The IMS token was refused or could not be obtained.</exception>
    /// <exception cref="ProfileApiException">The call failed (404 when Adobe no longer knows the job).</exception>
    public async Task<PrivacyJobStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        var status = await _client.GetJobStatusAsync(Id, cancellationToken).ConfigureAwait(false);
        _status = status;
        return status;
    }

    /// <summary>Polls every <see cref="DefaultPollInterval"/> until the job is over; bound the wait with the token.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The final status.</returns>
    /// <exception cref="ProfileApiException">A poll failed.</exception>
    /// <exception cref="OperationCanceledException">The token was canceled.</exception>
#pragma warning disable RS0027 // Azure's Operation shape: WaitForCompletionAsync(token = default) and (interval, token).
    public Task<PrivacyJobStatus> WaitForCompletionAsync(CancellationToken cancellationToken = default) =>
        WaitForCompletionAsync(DefaultPollInterval, cancellationToken);
#pragma warning restore RS0027

    /// <summary>Polls every <paramref name="pollInterval"/> (on the job's clock) until the job is over; bound the wait with the token.</summary>
    /// <param name="pollInterval">Time between two polls, at least <see cref="MinPollInterval"/>.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The final status.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pollInterval"/> is shorter than <see cref="MinPollInterval"/>.</exception>
    /// <exception cref="ProfileApiException">A poll failed.</exception>
    /// <exception cref="OperationCanceledException">The token was canceled.</exception>
    public Task<PrivacyJobStatus> WaitForCompletionAsync(TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        if (pollInterval < MinPollInterval)
        {
            throw new ArgumentOutOfRangeException(
                nameof(pollInterval),
                string.Create(CultureInfo.InvariantCulture, $"The poll interval must be at least {MinPollInterval.TotalSeconds} second; it is {pollInterval}."));
        }

        return PollAsync(pollInterval, cancellationToken);
    }

    private async Task<PrivacyJobStatus> PollAsync(TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        while (true)
        {
            var status = await GetStatusAsync(cancellationToken).ConfigureAwait(false);
            if (status.IsFinal)
            {
                return status;
            }

            await Task.Delay(pollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Describes the job by id, action and last state; never the id it is about or its key.</summary>
    /// <returns>For example <c>privacy job 6fc0… (Delete): complete</c>.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"privacy job {Id} ({(Action?.ToString() ?? "?")}): {(_status?.StatusText ?? "not read")}");
}
