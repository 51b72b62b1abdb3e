using System.Threading.Channels;

namespace WorkerService;

/// <summary>Stands in for a queue consumer: writes a few events and completes the channel.</summary>
public sealed class EventSimulator(ChannelWriter<OfflineEvent> writer, IConfiguration configuration) : BackgroundService
{
    public static IReadOnlyList<string> CustomerIds { get; } = ["crm-1001", "crm-1002", "crm-1003"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        int count = configuration.GetValue("Simulator:Events", 6);
        var at = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
        for (int i = 0; i < count; i++)
        {
            string customer = CustomerIds[i % CustomerIds.Count];
            OfflineEvent offlineEvent = i % 2 == 0
                ? new CallCentreContact(customer, "mortgage renewal", at.AddMinutes(i))
                : new LoyaltyCardScan(customer, "Store " + (100 + i), 10.5m * i, at.AddMinutes(i));
            await writer.WriteAsync(offlineEvent, stoppingToken);
        }

        writer.Complete();
    }
}
