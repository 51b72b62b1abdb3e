using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TargetProfileUpdate.Emulator;

namespace TargetProfileUpdate.Cli.Hosting;

/// <summary>
/// The account a command talks to: options bound from configuration (the environment's <c>TargetProfileUpdate__*</c>
/// settings, then <c>--client-code</c>/<c>--base-address</c> and the CLI's variables), registered with the SDK's own <c>AddTargetProfileUpdate</c>, plus the embedded emulator when <c>--emulator</c> is given.
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

    /// <summary>Gets the account's suppression list (in memory, or the <c>TARGET_SUPPRESSION_FILE</c> file).</summary>
    public ISuppressionList Suppression => _services.GetRequiredService<ISuppressionList>();

    /// <summary>Gets the Privacy Service client (it shares the account's suppression list with the other clients).</summary>
    public IProfilePrivacyClient PrivacyClient => _services.GetRequiredService<IProfilePrivacyClient>();

    /// <summary>Gets the tenant's attribute catalog (Admin API, IMS credentials).</summary>
    public IProfileAttributeCatalog AttributeCatalog => _services.GetRequiredService<IProfileAttributeCatalog>();

    /// <summary>Builds the options and the clients; a configuration problem becomes a <see cref="UsageException"/>.</summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <param name="tune">Command-specific settings (connections for an import), applied last.</param>
    /// <param name="cancellationToken">Cancels starting the embedded emulator.</param>
    /// <param name="fallbackClientCode">The client code to use when neither the option nor the environment gives one
    /// (<c>batch-status</c> reads it from the status URL).</param>
    /// <param name="adminApi">Whether the command calls the Admin API (<c>lint --catalog</c>): the embedded emulator then
    /// runs its IMS and Admin API with a demo credential, and the session uses it.</param>
    public static async Task<TargetSession> OpenAsync(ParseResult parseResult, Action<TargetProfileUpdateOptions>? tune, CancellationToken cancellationToken, string? fallbackClientCode = null, bool adminApi = false)
    {
        // The options are bound from configuration, as a service binds them: the environment's TargetProfileUpdate__* settings
        // (any SDK option, for example TargetProfileUpdate__Resilience__MaxRetryAttempts=5), then the CLI's own variables and
        // options on top. Nothing is copied field by field, so no setting can be dropped on the way.
        string clientCode = parseResult.GetValue(GlobalOptions.ClientCode) ?? Env("TARGET_CLIENT_CODE") ?? fallbackClientCode ?? string.Empty;
        Uri? baseAddress = ParseAbsolute(parseResult.GetValue(GlobalOptions.BaseAddress), "--base-address");
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        bool useEnvironment = true;

        TargetEmulator? emulator = null;
        if (parseResult.GetValue(GlobalOptions.Emulator))
        {
            if (baseAddress is not null)
            {
                throw new UsageException("--emulator and --base-address cannot be used together: --emulator starts its own server.");
            }

            if (clientCode.Length == 0)
            {
                clientCode = "demo";
            }

            // The embedded emulator needs no credentials: none from the environment are sent to it.
            emulator = await EmulatorHost.StartEmbeddedAsync(clientCode, cancellationToken, adminApi).ConfigureAwait(false);
            baseAddress = emulator.BaseAddress;
            useEnvironment = false;
            if (adminApi)
            {
                // The embedded emulator's own demo credential, never one from the environment.
                Set(values, "AdobeIms:ClientId", EmulatorHost.DemoImsClientId);
                Set(values, "AdobeIms:ClientSecret", EmulatorHost.DemoImsClientSecret);
                Set(values, "AdobeIms:Scopes", "openid,AdobeID,target_sdk");
                Set(values, "AdobeIms:Tenant", clientCode);
                Set(values, "AdobeIms:ImsTokenEndpoint", new Uri(emulator.BaseAddress, "ims/token/v3").OriginalString);
                Set(values, "AdobeIms:AdminApiBaseAddress", emulator.BaseAddress.OriginalString);
            }
        }
        else
        {
            Set(values, "AuthorizationToken", Env("TARGET_PROFILE_TOKEN"));
            Set(values, "AdobeIms:ClientId", Env("TARGET_IMS_CLIENT_ID"));
            Set(values, "AdobeIms:ClientSecret", Env("TARGET_IMS_CLIENT_SECRET"));
            Set(values, "AdobeIms:Scopes", Env("TARGET_IMS_SCOPES"));
            Set(values, "AdobeIms:Tenant", Env("TARGET_TENANT"));
            Set(values, "AdobeIms:ImsTokenEndpoint", ParseAbsolute(Env("TARGET_IMS_TOKEN_ENDPOINT"), "TARGET_IMS_TOKEN_ENDPOINT")?.OriginalString);
            Set(values, "AdobeIms:AdminApiBaseAddress", ParseAbsolute(Env("TARGET_ADMIN_API_BASE_ADDRESS"), "TARGET_ADMIN_API_BASE_ADDRESS")?.OriginalString);
            Set(values, "Privacy:ImsOrgId", Env("TARGET_IMS_ORG_ID"));
            Set(values, "Privacy:BaseAddress", ParseAbsolute(Env("TARGET_PRIVACY_BASE_ADDRESS"), "TARGET_PRIVACY_BASE_ADDRESS")?.OriginalString);
            Set(values, "Privacy:HashSecret", Env("TARGET_PRIVACY_HASH_SECRET"));
        }

        Set(values, "ClientCode", clientCode.Length == 0 ? null : clientCode);
        Set(values, "BaseAddress", baseAddress?.OriginalString);

        var builder = new ConfigurationBuilder();
        if (useEnvironment)
        {
            builder.AddEnvironmentVariables();
        }

        IConfiguration configuration = builder.AddInMemoryCollection(values).Build();
        IConfigurationSection section = configuration.GetSection(TargetProfileUpdateOptions.SectionName);
        if (emulator is null && section["ClientCode"] is not { Length: > 0 })
        {
            throw new UsageException("No client code: pass --client-code or set TARGET_CLIENT_CODE (or try --emulator to run offline).");
        }

        var services = new ServiceCollection();
        var account = services.AddTargetProfileUpdate(section);
        if (useEnvironment && Env("TARGET_SUPPRESSION_FILE") is { Length: > 0 } suppressionFile)
        {
            // The list is made when the account is, from the account's own (validated) hash secret.
            account.UseSuppressionList(sp =>
            {
                var secret = sp.GetRequiredService<IOptionsMonitor<TargetProfileUpdateOptions>>().Get(Microsoft.Extensions.Options.Options.DefaultName).Privacy.HashSecret
                    ?? throw new UsageException("TARGET_SUPPRESSION_FILE needs TARGET_PRIVACY_HASH_SECRET (at least 32 characters, the same in every run): the file holds hashes keyed by it, never ids.");
                return new FileSuppressionList(suppressionFile, new ProfileIdHasher(secret));
            });
        }
        if (tune is not null)
        {
            services.Configure(Microsoft.Extensions.Options.Options.DefaultName, tune);
        }

        var provider = services.BuildServiceProvider();
        try
        {
            // Resolve now, so invalid options are reported before anything is read or sent.
            var options = provider.GetRequiredService<IOptionsMonitor<TargetProfileUpdateOptions>>().Get(Microsoft.Extensions.Options.Options.DefaultName);
            var session = new TargetSession(provider, emulator, options);
            _ = session.UpdateClient;
            _ = session.FetchClient;
            _ = session.BulkClient;
            return session;
        }
        catch (OptionsValidationException ex)
        {
            await DisposeAsync(provider, emulator).ConfigureAwait(false);
            throw new UsageException("Configuration error: " + string.Join(" ", ex.Failures), ex);
        }
        catch
        {
            await DisposeAsync(provider, emulator).ConfigureAwait(false);
            throw;
        }

        static void Set(Dictionary<string, string?> values, string key, string? value)
        {
            if (value is not null)
            {
                values[TargetProfileUpdateOptions.SectionName + ":" + key] = value;
            }
        }
    }

    public ValueTask DisposeAsync() => DisposeAsync(_services, Emulator);

    private static async ValueTask DisposeAsync(ServiceProvider services, TargetEmulator? emulator)
    {
        await services.DisposeAsync().ConfigureAwait(false);
        if (emulator is not null)
        {
            await emulator.DisposeAsync().ConfigureAwait(false);
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
}
