using System;
using System.Linq;
using System.Threading;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TargetProfileUpdate.Configuration;
using TargetProfileUpdate.DependencyInjection;
using TargetProfileUpdate.Diagnostics;
using TargetProfileUpdate.Http;

// Public DI entry points live in the library's own namespace, as Microsoft recommends for non-Microsoft packages.
#pragma warning disable IDE0130 // Namespace does not match folder structure
namespace TargetProfileUpdate;
#pragma warning restore IDE0130

/// <summary>Registers the Adobe Target profile clients of one account (default or named) with <see cref="IServiceCollection"/>.</summary>
public static class TargetProfileUpdateServiceCollectionExtensions
{
    /// <summary>The name of the default account's <see cref="System.Net.Http.HttpClient"/> (a named account's is <c>TargetProfileUpdate:{name}</c>).</summary>
    public const string HttpClientName = "TargetProfileUpdate";

    /// <summary>
    /// Registers the default account: <see cref="IProfileUpdateClient"/>, <see cref="IProfileFetchClient"/> and
    /// <see cref="IBulkProfileUpdateClient"/> (singletons,
    /// thread-safe), with options validated when the host starts. Calling it again only adds configuration.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options, for example <c>o =&gt; o.ClientCode = "acme"</c>.</param>
    /// <returns>The account's builder, to add a token provider, a quota or your own HTTP handlers.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static TargetProfileUpdateBuilder AddTargetProfileUpdate(this IServiceCollection services, Action<TargetProfileUpdateOptions> configure) =>
        AddTargetProfileUpdate(services, Options.DefaultName, configure);

    /// <summary>
    /// Registers the default account with options bound from a configuration section (usually
    /// <c>configuration.GetSection(TargetProfileUpdateOptions.SectionName)</c>), validated when the host starts.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section holding <c>ClientCode</c>, <c>BaseAddress</c>, <c>AdobeIms</c>, <c>Resilience</c> and the other options.</param>
    /// <returns>The account's builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static TargetProfileUpdateBuilder AddTargetProfileUpdate(this IServiceCollection services, IConfiguration configuration) =>
        AddTargetProfileUpdate(services, Options.DefaultName, configuration);

    /// <summary>
    /// Registers a named account: keyed services (<c>[FromKeyedServices(name)] IProfileUpdateClient</c>,
    /// <c>GetRequiredKeyedService&lt;IProfileFetchClient&gt;(name)</c>) with their own options, HTTP client, token provider,
    /// quota and circuit breakers. A token or header of one account never reaches another account's host.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The account's name: the services' key.</param>
    /// <param name="configure">Sets the account's options.</param>
    /// <returns>The account's builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static TargetProfileUpdateBuilder AddTargetProfileUpdate(this IServiceCollection services, string name, Action<TargetProfileUpdateOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<TargetProfileUpdateOptions>(name).Configure(configure);
        return AddCore(services, name);
    }

    /// <summary>Registers a named account with options bound from a configuration section, validated when the host starts.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The account's name: the services' key.</param>
    /// <param name="configuration">The account's section.</param>
    /// <returns>The account's builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static TargetProfileUpdateBuilder AddTargetProfileUpdate(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<TargetProfileUpdateOptions>(name).Configure(options => OptionsBinder.Bind(configuration, options));
        services.AddSingleton<IOptionsChangeTokenSource<TargetProfileUpdateOptions>>(new ConfigurationChangeTokenSource<TargetProfileUpdateOptions>(name, configuration));
        return AddCore(services, name);
    }

    /// <summary>The <see cref="System.Net.Http.HttpClient"/> name of an account.</summary>
    internal static string HttpClientNameFor(string name) => name.Length == 0 ? HttpClientName : HttpClientName + ":" + name;

    private static TargetProfileUpdateBuilder AddCore(IServiceCollection services, string name)
    {
        var builder = new TargetProfileUpdateBuilder(services, name);
        services.AddOptions<TargetProfileUpdateOptions>(name).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TargetProfileUpdateOptions>>(TargetProfileUpdateOptionsDataAnnotationsValidator.Instance));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TargetProfileUpdateOptions>>(TargetProfileUpdateOptionsValidator.Instance));

        if (services.Any(d => d.ServiceType == typeof(RegistrationMarker) && d.IsKeyedService && Equals(d.ServiceKey, name)))
        {
            return builder;
        }

        services.AddKeyedSingleton<RegistrationMarker>(name);
        services.TryAddSingleton(static sp => new ProfileApiInstruments(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddKeyedSingleton<TargetAccount>(name, (sp, _) => new TargetAccount(sp, name));
        services.AddKeyedSingleton<IProfileUpdateClient>(name, (sp, _) => new ProfileUpdateClient(sp.GetRequiredKeyedService<TargetAccount>(name)));
        services.AddKeyedSingleton<IProfileFetchClient>(name, (sp, _) => new ProfileFetchClient(sp.GetRequiredKeyedService<TargetAccount>(name)));
        services.AddKeyedSingleton<IBulkProfileUpdateClient>(name, (sp, _) => new BulkProfileUpdateClient(sp.GetRequiredKeyedService<TargetAccount>(name)));
        services.AddKeyedSingleton<IProfileAttributeCatalog>(name, (sp, _) => new Contract.AdminAttributeCatalog(sp.GetRequiredKeyedService<TargetAccount>(name)));
        services.AddKeyedSingleton<IProfilePrivacyClient>(name, (sp, _) => new ProfilePrivacyClient(sp.GetRequiredKeyedService<TargetAccount>(name)));
        services.AddKeyedSingleton<ISuppressionList>(name, (sp, _) => sp.GetRequiredKeyedService<TargetAccount>(name).Suppression);
        if (name.Length == 0)
        {
            services.TryAddSingleton<IProfileUpdateClient>(static sp => sp.GetRequiredKeyedService<IProfileUpdateClient>(Options.DefaultName));
            services.TryAddSingleton<IProfileFetchClient>(static sp => sp.GetRequiredKeyedService<IProfileFetchClient>(Options.DefaultName));
            services.TryAddSingleton<IBulkProfileUpdateClient>(static sp => sp.GetRequiredKeyedService<IBulkProfileUpdateClient>(Options.DefaultName));
            services.TryAddSingleton<IProfileAttributeCatalog>(static sp => sp.GetRequiredKeyedService<IProfileAttributeCatalog>(Options.DefaultName));
            services.TryAddSingleton<IProfilePrivacyClient>(static sp => sp.GetRequiredKeyedService<IProfilePrivacyClient>(Options.DefaultName));
            services.TryAddSingleton<ISuppressionList>(static sp => sp.GetRequiredKeyedService<ISuppressionList>(Options.DefaultName));
        }

        var http = services.AddHttpClient(HttpClientNameFor(name));

        // The SDK's pipeline owns retries, timeouts and the circuit breaker. Handlers added for every client through
        // ConfigureHttpClientDefaults (for example AddStandardResilienceHandler(), the .NET Aspire default) run before any
        // client's own configuration, so clearing them here, before the account's own ConfigureHttpClient calls, keeps them
        // off the SDK's chain (they would multiply its attempts and cut its timeouts) and keeps the user's own handlers.
        http.ConfigureAdditionalHttpMessageHandlers(static (handlers, _) => handlers.Clear());
        http.ConfigurePrimaryHttpMessageHandler(sp => HttpHandlerFactory.CreatePrimaryHandler(
            sp.GetRequiredService<IOptionsMonitor<TargetProfileUpdateOptions>>().Get(name).MaxConnectionsPerServer));
        http.ConfigureHttpClient(static client => client.Timeout = Timeout.InfiniteTimeSpan);

        // The account holds one HttpClient for its life; the primary handler recycles pooled connections itself
        // (PooledConnectionLifetime), so DNS changes are seen without IHttpClientFactory's handler rotation.
        http.SetHandlerLifetime(Timeout.InfiniteTimeSpan);

        // HttpClientFactory's own loggers write the full request URI (ids and values) and, at Trace, headers (the token).
        http.RemoveAllLoggers();
        return builder;
    }

    /// <summary>Marks that an account name is registered, so a second call adds nothing twice.</summary>
    private sealed class RegistrationMarker;
}
