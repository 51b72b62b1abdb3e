using System;
using System.Net.Http;
using System.Threading;
using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TargetProfileUpdate.Authentication;
using TargetProfileUpdate.Diagnostics;
using TargetProfileUpdate.Http;
using TargetProfileUpdate.RateLimiting;
using TargetProfileUpdate.Resilience;

namespace TargetProfileUpdate.DependencyInjection;

/// <summary>
/// Everything one Adobe account (one registration name) shares: its validated options, its one handler chain (<see cref="HttpMessageInvoker"/>),
/// its token provider, its quota and bulk/admin limiters, its pacer, and one sender per endpoint (each with its own
/// resilience pipeline and circuit breaker). A singleton per name; endpoint clients are thin views over it.
/// </summary>
internal sealed class TargetAccount : IDisposable
{
    private readonly RequestPacer? _pacer;
    private readonly Lazy<ProfileApiCall> _update;
    private readonly Lazy<ProfileApiCall> _fetch;
    private readonly Lazy<ProfileApiCall> _bulk;
    private readonly Lazy<ProfileApiCall> _bulkStatus;
    private readonly Lazy<ProfileApiCall?> _catalog;
    private readonly Lazy<ProfileApiCall> _privacy;

    public TargetAccount(IServiceProvider services, string name)
    {
        Name = name;
        Options = services.GetRequiredService<IOptionsMonitor<TargetProfileUpdateOptions>>().Get(name);
        var components = services.GetRequiredService<IOptionsMonitor<AccountComponents>>().Get(name);
        Time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        LoggerFactory = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        Telemetry = services.GetRequiredService<ProfileApiInstruments>();
        // An invoker over the factory's handler chain (the account's, with the user's handlers): HttpClient's own layer would
        // add a linked cancellation source and a state machine per call, and its Timeout/BaseAddress are not used here.
        Invoker = new HttpMessageInvoker(
            services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(TargetProfileUpdateServiceCollectionExtensions.HttpClientNameFor(name)),
            disposeHandler: false);
        Quota = Options.Quota.Enabled
            ? components.Quota?.Invoke(services) ?? new SlidingWindowQuota(Options.Quota.PermitLimit, Options.Quota.Window, Time)
            : null;
        // Adobe's 50 bulk/admin calls per minute pace the account's uploads and polls: a call waits for its next permit
        // (bounded by its token and the bulk call's total timeout) instead of failing on our own guard.
        BulkLimiter = new WaitingRateLimiter(
            components.BulkLimiter?.Invoke(services) ?? new SlidingWindowQuota(BulkCallsPerMinute, TimeSpan.FromMinutes(1), Time, segments: 60),
            BulkResilience(Options.Resilience).TotalTimeout,
            Time);
        _pacer = Options.Quota.RequestsPerSecond is { } rps ? new RequestPacer(rps, Time) : null;
        ImsTokens = Options.AdobeIms.ClientId is { Length: > 0 }
            ? new AdobeImsTokenProvider(Options.AdobeIms, CreateCall("ims", null, null, null), CreateCall("admin", BulkLimiter, null, null), LoggerFactory.CreateLogger<AdobeImsTokenProvider>())
            : null;
        TokenProvider = components.TokenProvider?.Invoke(services)
            ?? (IProfileApiTokenProvider?)ImsTokens
            ?? new StaticTokenProvider(
                new PinnedAccountOptions(services.GetRequiredService<IOptionsMonitor<TargetProfileUpdateOptions>>(), name, Options, LoggerFactory.CreateLogger("TargetProfileUpdate")),
                name);
        Hasher = ProfileIdHasher.For(Options.Privacy);
        Suppression = components.SuppressionList?.Invoke(services) ?? new InMemorySuppressionList(Hasher);
        _privacy = new(() => CreateCall("privacy", null, null, ImsTokens is null ? null : new ImsAccessTokenProvider(ImsTokens)), LazyThreadSafetyMode.ExecutionAndPublication);
        BaseAddress = Options.GetEffectiveBaseAddress();
        _update = new(() => CreateCall("update", Quota, _pacer, TokenProvider), LazyThreadSafetyMode.ExecutionAndPublication);
        _fetch = new(() => CreateCall("fetch", null, null, TokenProvider), LazyThreadSafetyMode.ExecutionAndPublication);
        _bulk = new(() => CreateCall("bulk", BulkLimiter, null, TokenProvider, BulkResilience(Options.Resilience)), LazyThreadSafetyMode.ExecutionAndPublication);
        _bulkStatus = new(() => CreateCall("bulk-status", BulkLimiter, null, TokenProvider, Options.BulkStatusResilience), LazyThreadSafetyMode.ExecutionAndPublication);
        _catalog = new(
            () => ImsTokens is null ? null : CreateCall("catalog", BulkLimiter, null, new ImsAccessTokenProvider(ImsTokens)),
            LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Adobe's documented limit of bulk and admin API calls per account: 50 per minute.</summary>
    public const int BulkCallsPerMinute = ProfileUpdateQuotaOptions.BulkCallsPerMinute;

    public string Name { get; }

    public TargetProfileUpdateOptions Options { get; }

    public Uri BaseAddress { get; }

    public TimeProvider Time { get; }

    public ILoggerFactory LoggerFactory { get; }

    public ProfileApiInstruments Telemetry { get; }

    public HttpMessageInvoker Invoker { get; }

    public IProfileApiTokenProvider TokenProvider { get; }

    public RateLimiter? Quota { get; }

    public RateLimiter BulkLimiter { get; }

    /// <summary>The account's name as the <c>account</c> tag: <c>default</c> for the unnamed account.</summary>
    public string AccountTag => Name.Length == 0 ? "default" : Name;

    /// <summary>The circuit breaker state of each endpoint whose sender exists (read by the health check).</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, Polly.CircuitBreaker.CircuitBreakerStateProvider> Breakers { get; } = new();

    public ProfileApiCall UpdateCall => _update.Value;

    public ProfileApiCall FetchCall => _fetch.Value;

    public ProfileApiCall BulkCall => _bulk.Value;

    /// <summary>The call of bulk batch status polls: the account's bulk/admin limiter, with the short status timeouts.</summary>
    public ProfileApiCall BulkStatusCall => _bulkStatus.Value;

    /// <summary>The call of the Admin API's attribute catalog, authorized by the account's IMS token (the account's bulk/admin
    /// limiter); <see langword="null"/> when the account has no Adobe IMS credentials.</summary>
    public ProfileApiCall? CatalogCall => _catalog.Value;

    /// <summary>The IMS flow when the account has an IMS credential: its access token authenticates Privacy Service calls.</summary>
    public AdobeImsTokenProvider? ImsTokens { get; }

    /// <summary>The account's keyed hashes of ids (suppression list, privacy user keys).</summary>
    public ProfileIdHasher Hasher { get; }

    /// <summary>The account's suppression list: checked before every update, bulk row and deferred delivery.</summary>
    public ISuppressionList Suppression { get; }

    /// <summary>The logger of suppression refusals (shared by the update and bulk paths).</summary>
    public ILogger SuppressionLogger => field ??= LoggerFactory.CreateLogger("TargetProfileUpdate.Suppression");

    /// <summary>The call of Adobe Privacy Service (job requests and job status): its own pipeline and circuit breaker, with the account's IMS access token.</summary>
    public ProfileApiCall PrivacyCall => _privacy.Value;

    /// <summary>
    /// Bulk calls carry up to 50 MB and Adobe answers 503 over its per-minute limit: the attempt gets at least 10 minutes,
    /// the whole call at least 30, and a <c>Retry-After</c> of up to 2 minutes is waited for; the rest is the account's.
    /// </summary>
    private static ProfileApiResilienceOptions BulkResilience(ProfileApiResilienceOptions r) => new()
    {
        Enabled = r.Enabled,
        MaxRetryAttempts = r.MaxRetryAttempts,
        BaseDelay = r.BaseDelay,
        MaxDelay = r.MaxDelay,
        MaxRetryAfter = r.MaxRetryAfter > TimeSpan.FromMinutes(2) ? r.MaxRetryAfter : TimeSpan.FromMinutes(2),
        AttemptTimeout = r.AttemptTimeout > TimeSpan.FromMinutes(10) ? r.AttemptTimeout : TimeSpan.FromMinutes(10),
        TotalTimeout = r.TotalTimeout > TimeSpan.FromMinutes(30) ? r.TotalTimeout : TimeSpan.FromMinutes(30),
        CircuitBreakerEnabled = r.CircuitBreakerEnabled,
        CircuitBreakerFailureRatio = r.CircuitBreakerFailureRatio,
        CircuitBreakerMinimumThroughput = r.CircuitBreakerMinimumThroughput,
        CircuitBreakerSamplingDuration = r.CircuitBreakerSamplingDuration,
        CircuitBreakerBreakDuration = r.CircuitBreakerBreakDuration,
    };

    private ProfileApiCall CreateCall(string endpoint, RateLimiter? limiter, RequestPacer? pacer, IProfileApiTokenProvider? tokens, ProfileApiResilienceOptions? resilience = null)
    {
        resilience ??= Options.Resilience;
        var breaker = Breakers.GetOrAdd(endpoint, static _ => new Polly.CircuitBreaker.CircuitBreakerStateProvider());
        var pipeline = ProfileApiPipelineFactory.Create(endpoint, resilience, limiter, pacer, Time, LoggerFactory.CreateLogger("TargetProfileUpdate"), Telemetry, breaker);
        var logger = endpoint == "update" ? LoggerFactory.CreateLogger<ProfileUpdateClient>() : LoggerFactory.CreateLogger("TargetProfileUpdate." + endpoint);
        return new ProfileApiCall(Invoker, pipeline, tokens, resilience, Time, Telemetry, logger, AccountTag);
    }

    public void Dispose()
    {
        if (_update.IsValueCreated)
        {
            _update.Value.Dispose();
        }

        if (_fetch.IsValueCreated)
        {
            _fetch.Value.Dispose();
        }

        if (_bulk.IsValueCreated)
        {
            _bulk.Value.Dispose();
        }

        if (_privacy.IsValueCreated)
        {
            _privacy.Value.Dispose();
        }

        if (_bulkStatus.IsValueCreated)
        {
            _bulkStatus.Value.Dispose();
        }

        if (_catalog.IsValueCreated)
        {
            _catalog.Value?.Dispose();
        }

        _pacer?.Dispose();

        // Calls in flight end now (as ObjectDisposedException, since the senders are marked disposed first).
        try
        {
            Invoker.Dispose();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
