using System;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Threading;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TargetProfileUpdate.Configuration;
using TargetProfileUpdate.Diagnostics;
using TargetProfileUpdate.Http;
using TargetProfileUpdate.Resilience;

// Public DI entry points live in the library's own namespace, as Microsoft recommends for non-Microsoft packages.
#pragma warning disable IDE0130 // Namespace does not match folder structure
namespace TargetProfileUpdate;
#pragma warning restore IDE0130

/// <summary>Registers the profile update client with <see cref="IServiceCollection"/>.</summary>
public static class TargetProfileUpdateServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="System.Net.Http.HttpClient"/> the client uses (for <c>IHttpClientFactory</c> configuration).</summary>
    public const string HttpClientName = "TargetProfileUpdate";

    /// <summary>
    /// Registers <see cref="IProfileUpdateClient"/> (a typed <see cref="System.Net.Http.HttpClient"/> with the SDK's
    /// resilience handler and no URL logging) and validates the options when the host starts. Calling it again only adds configuration.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options, for example <c>o =&gt; o.ClientCode = "acme"</c>.</param>
    /// <returns>The HTTP client builder, to chain your own handlers.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHttpClientBuilder AddTargetProfileUpdate(this IServiceCollection services, Action<TargetProfileUpdateOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<TargetProfileUpdateOptions>().Configure(configure);
        return AddCore(services);
    }

    /// <summary>
    /// Registers <see cref="IProfileUpdateClient"/> with options bound from a configuration section
    /// (usually <c>configuration.GetSection(TargetProfileUpdateOptions.SectionName)</c>), validated when the host starts.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section holding <c>ClientCode</c>, <c>BaseAddress</c>, <c>Resilience</c> and the other options.</param>
    /// <returns>The HTTP client builder, to chain your own handlers.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHttpClientBuilder AddTargetProfileUpdate(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<TargetProfileUpdateOptions>().Configure(options => OptionsBinder.Bind(configuration, options));
        return AddCore(services);
    }

    private static IHttpClientBuilder AddCore(IServiceCollection services)
    {
        services.AddOptions<TargetProfileUpdateOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TargetProfileUpdateOptions>>(TargetProfileUpdateOptionsValidator.Instance));

        if (services.Any(d => d.ServiceType == typeof(RegistrationMarker)))
        {
            return services.AddHttpClient(HttpClientName);
        }

        services.AddSingleton<RegistrationMarker>();
        services.TryAddSingleton(static sp => new ProfileUpdateTelemetry(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton<IProfileUpdateQuota>(static sp =>
        {
            var quota = sp.GetRequiredService<IOptions<TargetProfileUpdateOptions>>().Value.Quota;
            return new SlidingWindowQuota(quota.PermitLimit, quota.Window, sp.GetService<TimeProvider>());
        });
        services.TryAddSingleton<ProfileUpdatePipelineProvider>();
        var builder = services.AddHttpClient<IProfileUpdateClient, ProfileUpdateClient>(
            HttpClientName,
            static (httpClient, sp) => new ProfileUpdateClient(
                httpClient,
                sp.GetRequiredService<IOptions<TargetProfileUpdateOptions>>().Value,
                sp.GetService<ILogger<ProfileUpdateClient>>(),
                sp.GetRequiredService<ProfileUpdateTelemetry>()));
        builder.ConfigurePrimaryHttpMessageHandler(static () => HttpHandlerFactory.CreatePrimaryHandler());
        builder.ConfigureHttpClient(static client => client.Timeout = Timeout.InfiniteTimeSpan);
        builder.AddHttpMessageHandler(static sp => sp.GetRequiredService<ProfileUpdatePipelineProvider>().CreateHandler());

        // HttpClientFactory's own loggers write the full request URI (ids and values) and, at Trace, headers (the token).
        builder.RemoveAllLoggers();
        return builder;
    }

    /// <summary>Marks that the client is registered, so a second call adds nothing twice.</summary>
    private sealed class RegistrationMarker;
}
