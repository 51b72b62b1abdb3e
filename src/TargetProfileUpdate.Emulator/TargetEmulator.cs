using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TargetProfileUpdate.Emulator.Endpoints;
using TargetProfileUpdate.Emulator.State;

namespace TargetProfileUpdate.Emulator;

/// <summary>
/// A local stand-in for Adobe Target's profile endpoints, on Kestrel: what Azurite is to Azure Storage.
/// Start one in-process with <see cref="StartAsync"/>, point the SDK's <c>BaseAddress</c> at
/// <see cref="BaseAddress"/>, and inspect what it received.
/// </summary>
/// <example>
/// <code>
/// await using var emulator = await TargetEmulator.StartAsync(new TargetEmulatorOptions { ClientCode = "demo" });
/// emulator.SeedProfile(thirdPartyId: "crm-1");
/// using var client = new ProfileUpdateClient(new TargetProfileUpdateOptions { ClientCode = "demo", BaseAddress = emulator.BaseAddress });
/// </code>
/// </example>
public sealed class TargetEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EmulatorState _state;

    private TargetEmulator(WebApplication app, EmulatorState state, TargetEmulatorOptions options, Uri baseAddress)
    {
        _app = app;
        _state = state;
        Options = options;
        BaseAddress = baseAddress;
    }

    /// <summary>Gets the address the emulator listens on, ending with <c>/</c> (for example <c>http://127.0.0.1:51234/</c>).</summary>
    public Uri BaseAddress { get; }

    /// <summary>Gets the options it was started with.</summary>
    public TargetEmulatorOptions Options { get; }

    /// <summary>Gets the client code it answers for.</summary>
    public string ClientCode => Options.ClientCode;

    /// <summary>Gets how many updates were applied to an existing profile since start or reset.</summary>
    public long AppliedUpdates => _state.AppliedUpdates;

    /// <summary>Gets how many updates were accepted for an unknown profile and dropped (Adobe never creates profiles from this API).</summary>
    public long DroppedUpdates => _state.DroppedUpdates;

    /// <summary>Gets how many requests the IMS token endpoint (<c>POST /ims/token/v3</c>) received since start or reset, whatever their outcome.</summary>
    public long ImsTokenRequests => _state.Tokens.ImsCalls;

    /// <summary>Gets how many requests the Admin API token endpoint (<c>/{tenant}/target/authentication/token</c>) received since start or reset, whatever their outcome.</summary>
    public long AdminTokenRequests => _state.Tokens.AdminCalls;

    /// <summary>Gets how many <c>batchUpdate</c> requests (v1 and v2) were received since start or reset, whatever their outcome.</summary>
    public long BatchUpdateRequests => _state.Calls(EmulatorFaultTarget.BatchUpdate);

    /// <summary>Gets the current profile API token: the one profile endpoints accept (until it expires) and the Admin API's GET answers.
    /// <see langword="null"/> when none exists (no <see cref="TargetEmulatorOptions.AuthorizationToken"/> and no IMS flow, or
    /// "no token yet" with <see cref="TargetEmulatorOptions.ProfileTokenExists"/> off).</summary>
    public string? ProfileToken => _state.Tokens.PeekProfileToken();

    /// <summary>Starts an emulator and returns once it accepts connections.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults (client code <c>demo</c>, a free loopback port).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator; dispose it to stop it.</returns>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    public static async Task<TargetEmulator> StartAsync(TargetEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new TargetEmulatorOptions();
        Validate(options);
        var state = new EmulatorState(options);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(new EmulatorPipeline.BadRequestLoggerProvider(state));
        builder.WebHost.UseUrls(options.Url);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Kestrel's limits sit far above the emulator's own, so the emulator answers (and records) 414, 431 and 413 itself.
            kestrel.Limits.MaxRequestLineSize = 1024 * 1024;
            kestrel.Limits.MaxRequestHeadersTotalSize = 1024 * 1024;
            kestrel.Limits.MaxRequestHeaderCount = 1000;
            kestrel.Limits.MaxRequestBufferSize = 4 * 1024 * 1024;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;
        });
        builder.Services.Configure<JsonOptions>(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

        var app = builder.Build();
        EmulatorPipeline.Use(app, state);
        ProfileEndpoints.Map(app, state, options);
        AuthEndpoints.Map(app, state);
        BulkEndpoints.Map(app, state, options);
        AdminEndpoints.Map(app, state);
        PrivacyEndpoints.Map(app, state, options);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TargetEmulator(app, state, options, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Creates a profile (or adds attributes to an existing one), as the admin endpoint does.</summary>
    /// <param name="pcId">Target's PC id; generated when only <paramref name="thirdPartyId"/> is given.</param>
    /// <param name="thirdPartyId">Your third-party id.</param>
    /// <param name="attributes">Initial attribute values.</param>
    /// <returns>The profile as it is now.</returns>
    public EmulatedProfile SeedProfile(string? pcId = null, string? thirdPartyId = null, IReadOnlyDictionary<string, string>? attributes = null) =>
        _state.Upsert(pcId, thirdPartyId, attributes ?? new Dictionary<string, string>());

    /// <summary>Creates a profile (or adds attributes to an existing one), with any of its ids, including an ECID.</summary>
    /// <param name="seed">The profile.</param>
    /// <returns>The profile as it is now.</returns>
    /// <exception cref="ArgumentException">The seed has no id.</exception>
    public EmulatedProfile SeedProfile(ProfileSeed seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        return _state.Upsert(seed.PcId, seed.ThirdPartyId, seed.Attributes, seed.MarketingCloudVisitorId);
    }

    /// <summary>
    /// Records a visit: a visitor's Target call, the only way Adobe creates a profile besides a v2 bulk upload. A new
    /// profile becomes available to the profile APIs after <see cref="TargetEmulatorOptions.ProfileCreationDelay"/>; an
    /// existing one is kept alive for another <see cref="TargetEmulatorOptions.ProfileLifetime"/>. Same as <c>POST /_emulator/visits</c>.
    /// </summary>
    /// <param name="visitor">The visitor's ids (at least one) and any in-mbox profile attributes (empty values are ignored).</param>
    /// <returns>What the visit did.</returns>
    /// <exception cref="ArgumentException">The visitor has no id.</exception>
    public EmulatedVisit Visit(ProfileSeed visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        return _state.Visit(visitor.PcId, visitor.ThirdPartyId, visitor.MarketingCloudVisitorId, visitor.Attributes);
    }

    /// <summary>Gets the attribute names the Admin API lists (<c>GET /{tenant}/target/profileattributes/mbox</c>): every name
    /// stored or seeded since start or reset.</summary>
    /// <returns>The names, in ordinal order.</returns>
    public IReadOnlyList<string> GetAttributeNames() => _state.AttributeNames();

    /// <summary>Generates a new profile API token, as the Admin API's POST (or the Target UI) does: holders of the previous one get 403.</summary>
    /// <returns>The new token.</returns>
    public string RotateProfileToken() => _state.Tokens.RotateProfileToken().Token;

    /// <summary>Gets the bulk batches kept (the last <see cref="TargetEmulatorOptions.MaxRetainedBatches"/>), oldest first.</summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<EmulatedBatch> GetBatches() => _state.Batches.Snapshot(_state.Now);

    /// <summary>Finds a profile by Experience Cloud visitor id (ECID), with the attributes visible to profile fetch now.</summary>
    /// <param name="marketingCloudVisitorId">The ECID.</param>
    /// <returns>The profile, or <see langword="null"/>.</returns>
    public EmulatedProfile? FindByMarketingCloudVisitorId(string marketingCloudVisitorId) => _state.FindByEcid(marketingCloudVisitorId);

    /// <summary>Finds a profile by PC id, with the attributes visible to profile fetch now.</summary>
    /// <param name="pcId">The PC id.</param>
    /// <returns>The profile, or <see langword="null"/>.</returns>
    public EmulatedProfile? FindByPcId(string pcId) => _state.Find(byPcId: true, pcId);

    /// <summary>Finds a profile by third-party id, with the attributes visible to profile fetch now.</summary>
    /// <param name="thirdPartyId">The third-party id.</param>
    /// <returns>The profile, or <see langword="null"/>.</returns>
    public EmulatedProfile? FindByThirdPartyId(string thirdPartyId) => _state.Find(byPcId: false, thirdPartyId);

    /// <summary>Gets every profile.</summary>
    /// <returns>A snapshot, ordered by PC id.</returns>
    public IReadOnlyList<EmulatedProfile> GetProfiles() => _state.Profiles();

    /// <summary>Gets the requests received since start, reset or <see cref="BeginScenario"/> (at most <see cref="TargetEmulatorOptions.MaxRecordedRequests"/>).</summary>
    /// <returns>A snapshot, in arrival order.</returns>
    public IReadOnlyList<RecordedRequest> GetRequests() => _state.Requests();

    /// <summary>Scripts faults: the next requests of each fault's <see cref="EmulatorFault.Target"/> (profile update and fetch by default)
    /// meet them in order, or the numbered call (<see cref="EmulatorFault.OnCall"/>).</summary>
    /// <param name="faults">The faults.</param>
    public void InjectFaults(params EmulatorFault[] faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        foreach (var fault in faults)
        {
            _state.EnqueueFault(fault);
        }
    }

    /// <summary>Starts a new scenario: forgets the recorded requests and scripted faults and restarts the call numbers
    /// (<see cref="RecordedRequest.Sequence"/>, <see cref="EmulatorFault.CallNumber"/>) and counters at zero, keeping profiles,
    /// tokens, batches, privacy jobs and quota windows. Same as <c>POST /_emulator/scenario</c>.</summary>
    public void BeginScenario() => _state.BeginScenario();

    /// <summary>Returns to the start state: seeded profiles only, no requests, fresh quota windows, no scripted faults, no batches,
    /// zeroed counters, the first profile token.</summary>
    public void Reset() => _state.Reset();

    /// <summary>Stops the emulator.</summary>
    /// <returns>A task that completes when it has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Waits until the emulator is asked to stop (Ctrl+C or SIGTERM), for a host such as the standalone program or a CLI.</summary>
    /// <param name="cancellationToken">Stops waiting (and the emulator) early.</param>
    /// <returns>A task that completes when the emulator has stopped.</returns>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    private static void Validate(TargetEmulatorOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ClientCode, "options.ClientCode");
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Url, "options.Url");
        Positive(options.BulkMaxRows, nameof(options.BulkMaxRows));
        Positive(options.BulkMaxBytes, nameof(options.BulkMaxBytes));
        Positive(options.BulkCallsPerMinute, nameof(options.BulkCallsPerMinute));
        Positive(options.MaxRetainedBatches, nameof(options.MaxRetainedBatches));
        Positive(options.ImsTokenLifetime.Ticks, nameof(options.ImsTokenLifetime));
        Positive(options.ProfileTokenLifetime.Ticks, nameof(options.ProfileTokenLifetime));
        NotNegative(options.BatchProcessingDelay, nameof(options.BatchProcessingDelay));
        NotNegative(options.PropagationDelay, nameof(options.PropagationDelay));
        NotNegative(options.ProfileCreationDelay, nameof(options.ProfileCreationDelay));
        NotNegative(options.PrivacyProcessingDelay, nameof(options.PrivacyProcessingDelay));
        Positive(options.ProfileLifetime.Ticks, nameof(options.ProfileLifetime));
        if (options.MaxProfileBytes < 0)
        {
            throw new ArgumentException("MaxProfileBytes must not be negative (0 for no cap).", nameof(options));
        }

        if (options.AuthorizationTokenLifetime is { } tokenLifetime)
        {
            Positive(tokenLifetime.Ticks, nameof(options.AuthorizationTokenLifetime));
        }

        if (options.RequireAuthentication == true && options.AuthorizationToken is null && options.ImsClientId is null)
        {
            throw new ArgumentException("RequireAuthentication needs a token: set AuthorizationToken, or ImsClientId for the IMS flow.", nameof(options));
        }

        if (options.ImsClientId is not null && string.IsNullOrEmpty(options.ImsClientSecret))
        {
            throw new ArgumentException("ImsClientSecret must be set when ImsClientId is set.", nameof(options));
        }

        static void NotNegative(TimeSpan value, string name)
        {
            if (value < TimeSpan.Zero)
            {
                throw new ArgumentException(name + " must not be negative.", nameof(options));
            }
        }

        static void Positive(long value, string name)
        {
            if (value <= 0)
            {
                throw new ArgumentException(name + " must be greater than zero.", nameof(options));
            }
        }
    }
}
