using System;
using System.Net.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TargetProfileUpdate.Configuration;
using TargetProfileUpdate.Diagnostics;

namespace TargetProfileUpdate.DependencyInjection;

/// <summary>
/// The composition root for code without DI: a private service collection with the same registration
/// (<c>AddTargetProfileUpdate</c>), so clients built with <c>new</c> get exactly the handler chain, pipeline,
/// token provider and quota of the DI registration. A new handler or strategy is wired once, in the registration.
/// </summary>
internal static class Standalone
{
    public static (TargetAccount Account, ServiceProvider Services) Create(
        TargetProfileUpdateOptions options,
        TimeProvider? timeProvider,
        ILoggerFactory? loggerFactory,
        HttpMessageHandler? primaryHandler)
    {
        ArgumentNullException.ThrowIfNull(options);
        TargetProfileUpdateOptionsValidator.ThrowIfInvalid(options);

        var services = new ServiceCollection();
        services.AddSingleton(ProfileApiInstruments.Shared);
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        if (loggerFactory is not null)
        {
            services.AddSingleton(loggerFactory);
        }

        // The caller's options are the account's options as they are: not copied field by field into a new instance.
        services.AddSingleton<IOptionsFactory<TargetProfileUpdateOptions>>(new GivenOptionsFactory(options));
        var builder = services.AddTargetProfileUpdate(static _ => { });
        if (primaryHandler is not null)
        {
            builder.ConfigureHttpClient(http => http.ConfigurePrimaryHttpMessageHandler(() => primaryHandler));
        }

        var provider = services.BuildServiceProvider();
        try
        {
            return (provider.GetRequiredKeyedService<TargetAccount>(Options.DefaultName), provider);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    /// <summary>Answers the default account with the caller's (already validated) instance.</summary>
    private sealed class GivenOptionsFactory(TargetProfileUpdateOptions options) : IOptionsFactory<TargetProfileUpdateOptions>
    {
        public TargetProfileUpdateOptions Create(string name) => name.Length == 0 ? options : new TargetProfileUpdateOptions();
    }
}
