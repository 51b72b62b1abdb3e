using System.Threading.Channels;
using TargetProfileUpdate;

namespace WorkerService;

/// <summary>
/// Drains offline events from a channel into profile updates; a failed call is logged and the worker goes on.
/// Adobe answers "submitted" to an update of an id it has no profile for and drops it without a word, so the worker
/// first checks that the customer's profile exists (once per customer: a confirmed id is remembered) and skips
/// events of customers Target does not know.
/// </summary>
public sealed partial class ProfileUpdateWorker(
    ChannelReader<OfflineEvent> events,
    IProfileUpdateClient client,
    IProfileFetchClient profiles,
    ILogger<ProfileUpdateWorker> logger,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    private readonly HashSet<ProfileId> _known = [];

    public int Accepted { get; private set; }

    public int Failed { get; private set; }

    /// <summary>Gets how many events were not sent because Target has no profile for the customer.</summary>
    public int Skipped { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var offlineEvent in events.ReadAllAsync(stoppingToken))
        {
            var update = ProfileMapper.ToUpdate(offlineEvent);
            try
            {
                if (!_known.Contains(update.Id))
                {
                    if (await profiles.GetProfileAsync(update.Id, stoppingToken) is null)
                    {
                        Skipped++;
                        LogSkipped(logger, offlineEvent.GetType().Name);
                        continue;
                    }

                    _known.Add(update.Id);
                }

                var result = await client.UpdateAsync(update, stoppingToken);
                Accepted++;
                LogAccepted(logger, offlineEvent.GetType().Name, result.HttpMethod.Method, result.Attempts);
            }
            catch (ProfileApiException ex)
            {
                // ProfileApiException (the update) or ProfileApiException (the existence check).
                Failed++;
                LogFailed(logger, offlineEvent.GetType().Name, ex.StatusCode, ex.IsTransient);
            }
        }

        LogDone(logger, Accepted, Failed, Skipped);
        lifetime.StopApplication();
    }

    [LoggerMessage(1, LogLevel.Information, "{EventType} sent as {Method} in {Attempts} attempt(s)")]
    private static partial void LogAccepted(ILogger logger, string eventType, string method, int attempts);

    [LoggerMessage(2, LogLevel.Warning, "{EventType} failed (status {Status}, transient {Transient})")]
    private static partial void LogFailed(ILogger logger, string eventType, int? status, bool transient);

    [LoggerMessage(3, LogLevel.Information, "Channel drained: {Accepted} accepted, {Failed} failed, {Skipped} skipped (no profile)")]
    private static partial void LogDone(ILogger logger, int accepted, int failed, int skipped);

    [LoggerMessage(4, LogLevel.Information, "{EventType} skipped: Target has no profile for the customer")]
    private static partial void LogSkipped(ILogger logger, string eventType);
}
