using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace TargetProfileUpdate.Tests.TestSupport;

/// <summary>Builds the real DI-registered client (full handler chain and pipeline) over a <see cref="RecordingHandler"/>.</summary>
public static class TestClients
{
    public const string ClientCode = "demo";
    public const string UpdateUrl = "https://demo.tt.omtrdc.net/m2/demo/profile/update";

    public static (IProfileUpdateClient Client, RecordingHandler Handler, ServiceProvider Services) Create(
        Action<TargetProfileUpdateOptions>? configure = null,
        RecordingHandler? handler = null,
        TimeProvider? timeProvider = null,
        ILoggerProvider? loggerProvider = null)
    {
        handler ??= new RecordingHandler();
        var services = new ServiceCollection();
        if (loggerProvider is not null)
        {
            services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(loggerProvider));
        }

        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        services.AddTargetProfileUpdate(o =>
        {
            o.ClientCode = ClientCode;
            o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(1);
            o.Resilience.MaxDelay = TimeSpan.FromMilliseconds(2);
            configure?.Invoke(o);
        }).ConfigureHttpClient(b => b.ConfigurePrimaryHttpMessageHandler(() => handler));

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return (provider.GetRequiredService<IProfileUpdateClient>(), handler, provider);
    }

    /// <summary>Advances a fake clock in small steps until <paramref name="condition"/> holds (bounded, no real waiting on the clock).</summary>
    public static async Task AdvanceUntilAsync(FakeTimeProvider time, Func<bool> condition, TimeSpan step, TimeSpan max)
    {
        for (var advanced = TimeSpan.Zero; advanced < max && !condition(); advanced += step)
        {
            await Task.Delay(5);
            time.Advance(step);
        }

        await Task.Delay(5);
    }
}
