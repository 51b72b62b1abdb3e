using System;
using System.Net.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using TargetProfileUpdate.Diagnostics;
using TargetProfileUpdate.RateLimiting;

namespace TargetProfileUpdate.Resilience;

/// <summary>
/// Holds what every request of one DI registration shares (a singleton): the resilience pipeline (so the circuit
/// breaker sees every request although <c>IHttpClientFactory</c> rotates handlers and typed clients are transient),
/// the quota guard, the pacer and the telemetry.
/// </summary>
internal sealed class ProfileUpdatePipelineProvider
{
    private readonly ResiliencePipeline<HttpResponseMessage>? _pipeline;
    private readonly TimeProvider _timeProvider;
    private readonly IProfileUpdateQuota? _quota;
    private readonly RequestPacer? _pacer;

    public ProfileUpdatePipelineProvider(IOptions<TargetProfileUpdateOptions> options, IServiceProvider services)
    {
        var value = options.Value;
        _timeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var telemetry = services.GetRequiredService<ProfileUpdateTelemetry>();
        _quota = value.Quota.Enabled ? services.GetRequiredService<IProfileUpdateQuota>() : null;
        _pacer = value.Quota.RequestsPerSecond is { } rps ? new RequestPacer(rps, _timeProvider) : null;
        var logger = (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<ProfileUpdateClient>();
        _pipeline = value.Resilience.Enabled ? ProfileUpdatePipelineFactory.Create(value.Resilience, _timeProvider, logger, telemetry) : null;
    }

    /// <summary>A new handler over the shared state (handlers are owned and disposed by the factory).</summary>
    public DelegatingHandler CreateHandler() => new ProfileUpdateResilienceHandler(_pipeline, _timeProvider, _quota, _pacer);

    /// <summary>A handler with state of its own, for a client created without DI.</summary>
    public static DelegatingHandler CreateHandler(TargetProfileUpdateOptions options, TimeProvider timeProvider, ILogger logger, ProfileUpdateTelemetry telemetry)
    {
        var quota = options.Quota.Enabled ? new SlidingWindowQuota(options.Quota.PermitLimit, options.Quota.Window, timeProvider) : null;
        var pacer = options.Quota.RequestsPerSecond is { } rps ? new RequestPacer(rps, timeProvider) : null;
        var pipeline = options.Resilience.Enabled ? ProfileUpdatePipelineFactory.Create(options.Resilience, timeProvider, logger, telemetry) : null;
        return new ProfileUpdateResilienceHandler(pipeline, timeProvider, quota, pacer);
    }
}
