using System;
using System.CommandLine;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TargetProfileUpdate.Emulator;

namespace TargetProfileUpdate.Cli.Hosting;

/// <summary>
/// The account a command talks to: options from <c>--client-code</c>/<c>--base-address</c> and the environment,
/// registered with the SDK's own <c>AddTargetProfileUpdate</c>, plus the embedded emulator when <c>--emulator</c> is given.
/// </summary>
internal sealed class TargetSession : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private TargetSession(ServiceProvider services, TargetEmulator? emulator, TargetProfileUpdateOptions options)
    {
        _services = services;
        Emulator = emulator;
        Options = options;
    }

    /// <summary>Gets the embedded emulator, when <c>--emulator</c> was given.</summary>
    public TargetEmulator? Emulator { get; }

    /// <summary>Gets the options in effect (never printed whole: they may hold secrets).</summary>
    public TargetProfileUpdateOptions Options { get; }

    /// <summary>Gets the single-update client.</summary>
    public IProfileUpdateClient UpdateClient => _services.GetRequiredService<IProfileUpdateClient>();

    /// <summary>Gets the fetch client.</summary>
    public IProfileFetchClient FetchClient => _services.GetRequiredService<IProfileFetchClient>();

    /// <summary>Gets the Bulk Profile Update client.</summary>
    public IBulkProfileUpdateClient BulkClient => _services.GetRequiredService<IBulkProfileUpdateClient>();

    /// <summary>Gets the tenant's attribute catalog (Admin API, IMS credentials).</summary>
    public IProfileAttributeCatalog AttributeCatalog => _services.GetRequiredService<IProfileAttributeCatalog>();

    /// <summary>Builds the options and the clients; a configuration problem becomes a <see cref="UsageException"/>.</summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <param name="tune">Command-specific settings (connections for an import), applied last.</param>
    /// <param name="cancellationToken">Cancels starting the embedded emulator.</param>
    /// <param name="fallbackClientCode">The client code to use when neither the option nor the environment gives one
    /// (<c>batch-status</c> reads it from the status URL).</param>
    public static async Task<TargetSession> OpenAsync(ParseResult parseResult, Action<TargetProfileUpdateOptions>? tune, CancellationToken cancellationToken, string? fallbackClientCode = null)
    {
        var options = new TargetProfileUpdateOptions
        {
            ClientCode = parseResult.GetValue(GlobalOptions.ClientCode) ?? Env("TARGET_CLIENT_CODE") ?? fallbackClientCode ?? string.Empty,
            BaseAddress = ParseAbsolute(parseResult.GetValue(GlobalOptions.BaseAddress), "--base-address"),
            AuthorizationToken = Env("TARGET_PROFILE_TOKEN"),
        };
        options.AdobeIms.ClientId = Env("TARGET_IMS_CLIENT_ID");
        options.AdobeIms.ClientSecret = Env("TARGET_IMS_CLIENT_SECRET");
        options.AdobeIms.Scopes = Env("TARGET_IMS_SCOPES");
        options.AdobeIms.Tenant = Env("TARGET_TENANT");

        TargetEmulator? emulator = null;
        if (parseResult.GetValue(GlobalOptions.Emulator))
        {
            if (options.BaseAddress is not null)
            {
                throw new UsageException("--emulator and --base-address cannot be used together: --emulator starts its own server.");
            }

            if (options.ClientCode.Length == 0)
            {
                options.ClientCode = "demo";
            }

            emulator = await EmulatorHost.StartEmbeddedAsync(options.ClientCode, cancellationToken).ConfigureAwait(false);
            options.BaseAddress = emulator.BaseAddress;
            options.AuthorizationToken = null;
            options.AdobeIms.ClientId = null;
        }
        else if (options.ClientCode.Length == 0)
        {
            throw new UsageException("No client code: pass --client-code or set TARGET_CLIENT_CODE (or try --emulator to run offline).");
        }

        tune?.Invoke(options);

        var services = new ServiceCollection();
        services.AddTargetProfileUpdate(o => Copy(options, o));
        var provider = services.BuildServiceProvider();
        var session = new TargetSession(provider, emulator, options);
        try
        {
            // Resolve now, so invalid options are reported before anything is read or sent.
            _ = session.UpdateClient;
            _ = session.FetchClient;
            _ = session.BulkClient;
            return session;
        }
        catch (OptionsValidationException ex)
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw new UsageException("Configuration error: " + string.Join(" ", ex.Failures), ex);
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync().ConfigureAwait(false);
        if (Emulator is not null)
        {
            await Emulator.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>An absolute http(s) URL, or a usage error naming the option.</summary>
    public static Uri? ParseAbsolute(string? text, string what)
    {
        if (text is null)
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : throw new UsageException(what + " must be an absolute http or https URL.");
    }

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    private static void Copy(TargetProfileUpdateOptions from, TargetProfileUpdateOptions to)
    {
        to.ClientCode = from.ClientCode;
        to.BaseAddress = from.BaseAddress;
        to.AuthorizationToken = from.AuthorizationToken;
        to.MaxConnectionsPerServer = from.MaxConnectionsPerServer;
        to.AdobeIms = from.AdobeIms;
        to.Resilience = from.Resilience;
        to.Quota = from.Quota;
    }
}
