using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using TargetProfileUpdate.Emulator;

namespace TargetProfileUpdate.IntegrationTests.Delivery;

/// <summary>
/// The emulator and the DI-registered SDK with delivery assurance on one fake clock: the SDK's deferrals, re-checks and
/// read-backs and the emulator's profiles and propagation all move only when the test advances time.
/// </summary>
internal sealed class DeliveryHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private DeliveryHarness(TargetEmulator emulator, FakeTimeProvider time, ServiceProvider services)
    {
        Emulator = emulator;
        Time = time;
        Services = services;
    }

    public TargetEmulator Emulator { get; }

    public FakeTimeProvider Time { get; }

    public ServiceProvider Services { get; }

    public ConcurrentQueue<UndeliverableProfileUpdate> GaveUp { get; } = new();

    public IProfileUpdateClient Client => Services.GetRequiredService<IProfileUpdateClient>();

    public IProfileFetchClient Fetch => Services.GetRequiredService<IProfileFetchClient>();

    public ProfileDeliveryWorker Worker => Services.GetRequiredKeyedService<ProfileDeliveryWorker>(string.Empty);

    public static async Task<DeliveryHarness> StartAsync(
        Action<ProfileDeliveryOptions> configure,
        Action<TargetEmulatorOptions>? emulatorOptions = null,
        Action<TargetProfileUpdateOptions>? sdkOptions = null,
        Action<TargetProfileUpdateBuilder>? builder = null)
    {
        var time = new FakeTimeProvider(Start);
        var options = new TargetEmulatorOptions { TimeProvider = time, MaxRecordedRequests = 200_000, PropagationDelay = TimeSpan.Zero };
        emulatorOptions?.Invoke(options);
        var emulator = await TargetEmulator.StartAsync(options);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddMetrics();
        DeliveryHarness? harness = null;
        var account = services.AddTargetProfileUpdate(o =>
        {
            o.ClientCode = emulator.ClientCode;
            o.BaseAddress = emulator.BaseAddress;
            o.Resilience.MaxRetryAttempts = 0;
            o.AdobeIms.ImsTokenEndpoint = new Uri(emulator.BaseAddress, "ims/token/v3");
            o.AdobeIms.AdminApiBaseAddress = emulator.BaseAddress;
            sdkOptions?.Invoke(o);
        });
        account.UseDeliveryAssurance(o =>
        {
            o.OnGiveUp = (item, _) =>
            {
                harness!.GaveUp.Enqueue(item);
                return Task.CompletedTask;
            };
            configure(o);
        });
        builder?.Invoke(account);
        services.AddHealthChecks().AddTargetProfileUpdate();
        harness = new DeliveryHarness(emulator, time, services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }));
        return harness;
    }

    public static string Id(string kind, int i) => kind + "-" + i.ToString("D5", CultureInfo.InvariantCulture);

    public static ProfileUpdate UpdateFor(string id, int i) =>
        ProfileUpdate.ForThirdPartyId(id).Set("tier", "gold-" + i.ToString(CultureInfo.InvariantCulture)).Set("n", i);

    public MetricCollector<long> Collect(string instrument) =>
        new(Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "TargetProfileUpdate", instrument);

    public async Task<HealthReport> HealthAsync() => await Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

    /// <summary>Update requests the emulator received per third-party id (from its request log).</summary>
    public Dictionary<string, int> UpdatesPerId()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var request in Emulator.GetRequests())
        {
            if (!request.Path.EndsWith("/profile/update", StringComparison.Ordinal))
            {
                continue;
            }

            string form = request.Method == "GET" ? request.RawQuery : request.RawBody;
            string id = form.Split('&').Select(p => p.Split('=', 2)).Where(p => p[0] == "mbox3rdPartyId").Select(p => Uri.UnescapeDataString(p[1])).Single();
            counts[id] = counts.GetValueOrDefault(id) + 1;
        }

        return counts;
    }

    public int FetchRequests() => Emulator.GetRequests().Count(r => r.Path.StartsWith("/rest/v1/profiles/", StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
