using System.Threading.Channels;
using TargetProfileUpdate;

namespace WorkerService;

/// <summary>Drains offline events from a channel into profile updates; a failed update is logged and the worker goes on.</summary>
public sealed partial class ProfileUpdateWorker(
    ChannelReader<OfflineEvent> events,
    IProfileUpdateClient client,
    ILogger<ProfileUpdateWorker> logger,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    public int Accepted { get; private set; }

    public int Failed { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var offlineEvent in events.ReadAllAsync(stoppingToken))
        {
            try
            {
                var result = await client.UpdateAsync(ProfileMapper.ToUpdate(offlineEvent), stoppingToken);
                Accepted++;
                LogAccepted(logger, offlineEvent.GetType().Name, result.HttpMethod.Method, result.Attempts);
            }
            catch (ProfileUpdateException ex)
            {
                Failed++;
                LogFailed(logger, offlineEvent.GetType().Name, ex.StatusCode, ex.IsTransient);
            }
        }

        LogDone(logger, Accepted, Failed);
        lifetime.StopApplication();
    }

    [LoggerMessage(1, LogLevel.Information, "{EventType} sent as {Method} in {Attempts} attempt(s)")]
    private static partial void LogAccepted(ILogger logger, string eventType, string method, int attempts);

    [LoggerMessage(2, LogLevel.Warning, "{EventType} failed (status {Status}, transient {Transient})")]
    private static partial void LogFailed(ILogger logger, string eventType, int? status, bool transient);

    [LoggerMessage(3, LogLevel.Information, "Channel drained: {Accepted} accepted, {Failed} failed")]
    private static partial void LogDone(ILogger logger, int accepted, int failed);
}
