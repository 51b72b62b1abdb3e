using System;
using System.Net.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;

namespace TargetProfileUpdate.Resilience;

/// <summary>
/// Holds the one resilience pipeline of a DI registration (a singleton), so the circuit breaker sees every
/// request even though <c>IHttpClientFactory</c> rotates handlers and typed clients are transient.
/// </summary>
internal sealed class ProfileUpdatePipelineProvider
{
    private readonly ResiliencePipeline<HttpResponseMessage>? _pipeline;
    private readonly TimeProvider _timeProvider;

    public ProfileUpdatePipelineProvider(IOptions<TargetProfileUpdateOptions> options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        var resilience = options.Value.Resilience;
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ProfileUpdateClient>();
        _pipeline = resilience.Enabled ? ProfileUpdatePipelineFactory.Create(resilience, _timeProvider, logger) : null;
    }

    /// <summary>A new handler over the shared pipeline (handlers are owned and disposed by the factory).</summary>
    public DelegatingHandler CreateHandler() => new ProfileUpdateResilienceHandler(_pipeline, _timeProvider);

    /// <summary>A handler with a pipeline of its own, for a client created without DI.</summary>
    public static DelegatingHandler CreateHandler(ProfileUpdateResilienceOptions options, TimeProvider timeProvider, ILogger logger) =>
        new ProfileUpdateResilienceHandler(options.Enabled ? ProfileUpdatePipelineFactory.Create(options, timeProvider, logger) : null, timeProvider);
}
