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

    /// <summary>
    /// Advances a fake clock in <paramref name="step"/>s until <paramref name="condition"/> holds or <paramref name="max"/> has
    /// passed on it, with no real sleep between steps. On a <see cref="TimerWatchingTimeProvider"/>, a step that ran timer
    /// callbacks is followed by a wait for the event that the released work is waiting on the clock again (it created a
    /// timer) or is done (the condition holds); then, and after a step that released nothing, the thread pool is given the
    /// processor with <see cref="Task.Yield"/> until it has no queued work, bounded by a count of yields.
    /// </summary>
    public static async Task AdvanceUntilAsync(FakeTimeProvider time, Func<bool> condition, TimeSpan step, TimeSpan max)
    {
        var watching = time as TimerWatchingTimeProvider;

        // The code under test may not have reached its first timer yet (a busy machine runs its continuation later): the
        // clock must not run ahead of it, or the timer is registered after its due time has passed and never fires. So
        // on a clock that has no timer yet, wait (bounded) for the first one. (CI under load: a status poll registered its
        // 5 s timeout after 30 s had been advanced, and the test saw it hang.)
        if (watching is { Created: 0 } && !condition())
        {
            await ReleasedWorkWaitsAgainAsync(watching, 0, condition, TimeSpan.FromSeconds(2));
        }

        for (var advanced = TimeSpan.Zero; advanced < max && !await SettleAsync(condition); advanced += step)
        {
            long created = watching?.Created ?? 0;
            long fired = watching?.Fired ?? 0;
            time.Advance(step);
            if (watching is not null && watching.Fired != fired)
            {
                await ReleasedWorkWaitsAgainAsync(watching, created, condition, TimeSpan.FromMilliseconds(200));
            }
        }
    }

    /// <summary>
    /// Yields until <paramref name="condition"/> holds, at least <see cref="MinYields"/> times and then while the thread pool
    /// still has queued work, at most <see cref="MaxYields"/> times; returns the condition.
    /// </summary>
    public static async Task<bool> SettleAsync(Func<bool> condition)
    {
        for (int i = 0; i < MaxYields && !condition(); i++)
        {
            if (i >= MinYields && ThreadPool.PendingWorkItemCount == 0)
            {
                break;
            }

            await Task.Yield();
        }

        return condition();
    }

    /// <summary>
    /// Waits until a timer is created after the <paramref name="created"/>th or <paramref name="condition"/> holds. The
    /// condition has no event of its own, so between checks this waits on the timer event with a 1 ms real-time bound
    /// (a poll of the condition, not pacing of the clock); 200 ms without either means the released work went on to wait
    /// on something that is not a timer (a lazily checked breaker state, a channel), and the clock moves on. (A 10 s bound
    /// here turned 1,800 one-second steps into a run that the 5-minute hang guard aborted on CI:
    /// CircuitOpenBatchTests.UpdateManyAsync_WaitWhileCircuitOpen_RidesOutAShortOutage….)
    /// </summary>
    private static async Task ReleasedWorkWaitsAgainAsync(TimerWatchingTimeProvider time, long created, Func<bool> condition, TimeSpan limit)
    {
        var bound = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; time.Created == created && !condition() && bound.Elapsed < limit; i++)
        {
            if (i < MaxYields)
            {
                await Task.Yield();
            }
            else
            {
                await Task.Delay(1); // see the summary: a bounded poll of a condition that has no event, never a step of the clock
            }
        }
    }

    private const int MinYields = 100;
    private const int MaxYields = 2_000;

    /// <summary>
    /// Waits, without advancing the clock, until <paramref name="time"/> has a timer that <paramref name="due"/> accepts
    /// (the code under test is then waiting on the clock), bounded by 30 s of real time so a broken test fails instead of hanging.
    /// </summary>
    public static Task WaitForTimerAsync(TimerWatchingTimeProvider time, Func<TimeSpan, bool> due) =>
        time.TimerCreated(due).WaitAsync(TimeSpan.FromSeconds(30));
}
