using System;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using TargetProfileUpdate.Diagnostics;
using TargetProfileUpdate.Http;

namespace TargetProfileUpdate.Resilience;

/// <summary>
/// Builds the SDK's resilience pipeline, outermost first: total timeout → retry → circuit breaker →
/// attempt timeout. It is built once per client registration, so the circuit breaker's state is shared
/// by every request of that registration.
/// </summary>
internal static class ProfileUpdatePipelineFactory
{
    /// <summary>Where the pipeline finds the request it is retrying.</summary>
    public static readonly ResiliencePropertyKey<ProfileUpdateRequestMessage> RequestKey = new("TargetProfileUpdate.Request");

    public static ResiliencePipeline<HttpResponseMessage> Create(ProfileUpdateResilienceOptions options, TimeProvider timeProvider, ILogger logger, ProfileUpdateTelemetry telemetry)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>
        {
            Name = "TargetProfileUpdate",
            TimeProvider = timeProvider,
        };

        builder.AddTimeout(new TimeoutStrategyOptions { Name = "TotalTimeout", Timeout = options.TotalTimeout });

        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "Retry",
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Outcome, args.Context, options, timeProvider)),
                DelayGenerator = static args => new ValueTask<TimeSpan?>(
                    args.Context.Properties.TryGetValue(RequestKey, out var request) ? request.PendingRetryAfter : null),
                OnRetry = args =>
                {
                    string reason = Describe(args.Outcome);
                    telemetry.Retried.Add(1);
                    Log.Retrying(logger, reason, args.AttemptNumber + 2, args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }

        if (options.CircuitBreakerEnabled)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                Name = "CircuitBreaker",
                FailureRatio = options.CircuitBreakerFailureRatio,
                MinimumThroughput = options.CircuitBreakerMinimumThroughput,
                SamplingDuration = options.CircuitBreakerSamplingDuration,
                BreakDuration = options.CircuitBreakerBreakDuration,
                ShouldHandle = static args => new ValueTask<bool>(IsServerFailure(args.Outcome, args.Context)),
                OnOpened = args =>
                {
                    Log.CircuitOpened(logger, args.BreakDuration.TotalMilliseconds);
                    return default;
                },
                OnClosed = _ =>
                {
                    Log.CircuitClosed(logger);
                    return default;
                },
            });
        }

        builder.AddTimeout(new TimeoutStrategyOptions { Name = "AttemptTimeout", Timeout = options.AttemptTimeout });
        return builder.Build();
    }

    /// <summary>Transient outcomes are retried; a <c>Retry-After</c> beyond the cap or the remaining budget stops retrying at once.</summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, ProfileUpdateResilienceOptions options, TimeProvider timeProvider)
    {
        context.Properties.TryGetValue(RequestKey, out var request);
        if (request is not null)
        {
            request.PendingRetryAfter = null;
        }

        if (outcome.Exception is { } exception)
        {
            return !context.CancellationToken.IsCancellationRequested && IsTransient(exception);
        }

        var response = outcome.Result!;
        int status = (int)response.StatusCode;
        if (!TransientStatus.IsTransient(status))
        {
            return false;
        }

        if (RetryAfterParser.Parse(response, timeProvider.GetUtcNow()) is { } retryAfter)
        {
            var elapsed = request is null ? TimeSpan.Zero : timeProvider.GetElapsedTime(request.StartTimestamp);
            if (retryAfter > options.MaxRetryAfter || elapsed + retryAfter > options.TotalTimeout)
            {
                return false;
            }

            if (request is not null)
            {
                request.PendingRetryAfter = retryAfter;
            }
        }

        return true;
    }

    private static bool IsServerFailure(Outcome<HttpResponseMessage> outcome, ResilienceContext context) =>
        outcome.Exception is { } exception
            ? !context.CancellationToken.IsCancellationRequested && IsTransient(exception)
            : TransientStatus.IsServerFailure((int)outcome.Result!.StatusCode);

    private static bool IsTransient(Exception exception) =>
        exception is HttpRequestException or TimeoutRejectedException or System.IO.IOException
            || (exception is OperationCanceledException && exception is not ExecutionRejectedException);

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } exception ? Log.Reason(exception) : "HTTP " + ((int)outcome.Result!.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
