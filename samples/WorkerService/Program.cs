using System.Threading.Channels;
using TargetProfileUpdate;
using TargetProfileUpdate.Emulator;

namespace WorkerService;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        await using var app = await StartAsync(args);
        await app.Host.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>Builds and starts the worker; with <c>Emulator:Enabled</c> (the default) against an in-process emulator.</summary>
    public static async Task<SampleApp> StartAsync(string[] args, Action<ILoggingBuilder>? logging = null)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Configuration.SetBasePath(AppContext.BaseDirectory).AddJsonFile("appsettings.json", optional: false);
        builder.Configuration.AddCommandLine(args);

        TargetEmulator? emulator = null;
        if (builder.Configuration.GetValue("Emulator:Enabled", false))
        {
            // Zero propagation delay, said explicitly, so the sample's check can read the updates back at once.
            emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { ClientCode = builder.Configuration["TargetProfileUpdate:ClientCode"] ?? "demo", PropagationDelay = TimeSpan.Zero });
            foreach (var id in EventSimulator.CustomerIds)
            {
                emulator.SeedProfile(thirdPartyId: id);
            }

            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["TargetProfileUpdate:BaseAddress"] = emulator.BaseAddress.ToString() });
        }

        logging?.Invoke(builder.Logging);
        var channel = Channel.CreateBounded<OfflineEvent>(new BoundedChannelOptions(1000) { SingleReader = true });
        builder.Services.AddSingleton(channel.Reader);
        builder.Services.AddSingleton(channel.Writer);
        builder.Services.AddTargetProfileUpdate(builder.Configuration.GetSection(TargetProfileUpdateOptions.SectionName));
        builder.Services.AddSingleton<ProfileUpdateWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ProfileUpdateWorker>());
        builder.Services.AddHostedService<EventSimulator>();

        var host = builder.Build();
        await host.StartAsync();
        return new SampleApp(host, emulator);
    }
}

/// <summary>The running sample: the host and, by default, the emulator it talks to.</summary>
public sealed class SampleApp(IHost host, TargetEmulator? emulator) : IAsyncDisposable
{
    public IHost Host { get; } = host;

    public TargetEmulator? Emulator { get; } = emulator;

    public async ValueTask DisposeAsync()
    {
        Host.Dispose();
        if (Emulator is not null)
        {
            await Emulator.DisposeAsync();
        }
    }
}
