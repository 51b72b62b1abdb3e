using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace TargetProfileUpdate.Tests.TestSupport;

/// <summary>
/// The one place tests build the real DI-registered client (full handler chain and pipeline) over an in-memory handler:
/// <see cref="Create"/> for the common case, <see cref="CreateProvider"/> for any handler or a named account,
/// and <see cref="AddTestAccount(IServiceCollection, HttpMessageHandler, Action{TargetProfileUpdateOptions}?, string?)"/> plus
/// <see cref="Build"/> for containers with several accounts. Only tests about registration itself build by hand.
/// </summary>
public static class TestClients
{
    public const string ClientCode = "demo";
    public const string UpdateUrl = "https://demo.tt.omtrdc.net/m2/demo/profile/update";

    /// <summary>
    /// The update client of one account over a <see cref="RecordingHandler"/>, with the provider that owns it.
    /// <paramref name="name"/> registers a named account (the client is then the keyed one); <paramref name="services"/>
    /// adds services before the provider is built; <paramref name="account"/> customises the account's builder.
    /// </summary>
    public static (IProfileUpdateClient Client, RecordingHandler Handler, ServiceProvider Services) Create(
        Action<TargetProfileUpdateOptions>? configure = null,
        RecordingHandler? handler = null,
        TimeProvider? timeProvider = null,
        ILoggerProvider? loggerProvider = null,
        string? name = null,
        Action<IServiceCollection>? services = null,
        Action<TargetProfileUpdateBuilder>? account = null)
    {
        handler ??= new RecordingHandler();
        var provider = CreateProvider(handler, configure, timeProvider, loggerProvider, name, services, account);
        var client = name is null
            ? provider.GetRequiredService<IProfileUpdateClient>()
            : provider.GetRequiredKeyedService<IProfileUpdateClient>(name);
        return (client, handler, provider);
    }

    /// <summary>The provider of one account (default or named) over any handler: resolve whichever client the test needs.</summary>
    public static ServiceProvider CreateProvider(
        HttpMessageHandler handler,
        Action<TargetProfileUpdateOptions>? configure = null,
        TimeProvider? timeProvider = null,
        ILoggerProvider? loggerProvider = null,
        string? name = null,
        Action<IServiceCollection>? services = null,
        Action<TargetProfileUpdateBuilder>? account = null)
    {
        var collection = Services(timeProvider, loggerProvider);
        services?.Invoke(collection);
        var builder = collection.AddTestAccount(handler, configure, name);
        account?.Invoke(builder);
        return Build(collection);
    }

    /// <summary>A service collection with Trace-level logging to <paramref name="loggerProvider"/> and the given clock, when given.</summary>
    public static IServiceCollection Services(TimeProvider? timeProvider = null, ILoggerProvider? loggerProvider = null)
    {
        var services = new ServiceCollection();
        if (loggerProvider is not null)
        {
            services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(loggerProvider));
        }

        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        return services;
    }

    /// <summary>
    /// Registers an account over <paramref name="handler"/> with the test defaults (client code <see cref="ClientCode"/>,
    /// millisecond retry delays), then <paramref name="configure"/>; named when <paramref name="name"/> is given.
    /// </summary>
    public static TargetProfileUpdateBuilder AddTestAccount(
        this IServiceCollection services,
        HttpMessageHandler handler,
        Action<TargetProfileUpdateOptions>? configure = null,
        string? name = null)
    {
        void Configure(TargetProfileUpdateOptions o)
        {
            o.ClientCode = ClientCode;
            o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(1);
            o.Resilience.MaxDelay = TimeSpan.FromMilliseconds(2);
            configure?.Invoke(o);
        }

        var builder = name is null ? services.AddTargetProfileUpdate(Configure) : services.AddTargetProfileUpdate(name, Configure);
        return builder.ConfigureHttpClient(b => b.ConfigurePrimaryHttpMessageHandler(() => handler));
    }

    /// <summary>Registers an account bound from <paramref name="configuration"/> (no test defaults) over <paramref name="handler"/>.</summary>
    public static TargetProfileUpdateBuilder AddTestAccount(
        this IServiceCollection services,
        HttpMessageHandler handler,
        IConfiguration configuration,
        string? name = null)
    {
        var builder = name is null ? services.AddTargetProfileUpdate(configuration) : services.AddTargetProfileUpdate(name, configuration);
        return builder.ConfigureHttpClient(b => b.ConfigurePrimaryHttpMessageHandler(() => handler));
    }

    /// <summary>Builds the provider the way a host does in development: every registration validated on build, scopes checked.</summary>
    public static ServiceProvider Build(IServiceCollection services) =>
        services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

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
