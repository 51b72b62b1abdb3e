using System;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Net.Http;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using TargetProfileUpdate.Diagnostics;
using TargetProfileUpdate.Http;
using TargetProfileUpdate.RateLimiting;

namespace TargetProfileUpdate.Resilience;

/// <summary>
/// Builds the resilience pipeline of one endpoint of one account: retry → circuit breaker → admission (pacing and the
/// limiter) → attempt timeout. With resilience off it is admission → one timeout of <c>TotalTimeout</c>, so a hung
/// server never holds a caller forever. Predicates only read: the per-call <see cref="RequestState"/> is written by the
/// attempt and the admission alone.
/// </summary>
internal static class ProfileApiPipelineFactory
{
    /// <summary>The shortest attempt worth starting within the total budget.</summary>
    private static readonly TimeSpan MinimumAttempt = TimeSpan.FromMilliseconds(10);

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Polly validates strategy options with DataAnnotations; AdmissionStrategyOptions declares no members or attributes beyond ResilienceStrategyOptions.Name, which Polly itself keeps.")]
    public static ResiliencePipeline<HttpResponseMessage> Create(
        string endpoint,
        ProfileUpdateResilienceOptions options,
        RateLimiter? limiter,
        RequestPacer? pacer,
        TimeProvider timeProvider,
        ILogger logger,
        ProfileUpdateTelemetry telemetry,
        CircuitBreakerStateProvider? breakerState = null)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>
        {
            Name = "TargetProfileUpdate." + endpoint,
            TimeProvider = timeProvider,
        };

        if (options.Enabled && options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "Retry",
                MaxRetryAttempts = options.MaxRetryAttempts,
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Outcome, args.Context, options, timeProvider)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(RetryDelay(args.Outcome, args.Context, options, timeProvider)),
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                OnRetry = args =>
                {
                    telemetry.Retried.Add(1, new System.Collections.Generic.KeyValuePair<string, object?>("endpoint", endpoint));
                    if (logger.IsEnabled(LogLevel.Debug))
                    {
                        string reason = Describe(args.Outcome);
                        Log.Retrying(logger, endpoint, reason, args.AttemptNumber + 2, args.RetryDelay.TotalMilliseconds);
                    }

                    return default;
                },
            });
        }

        if (options.Enabled && options.CircuitBreakerEnabled)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                Name = "CircuitBreaker",
                StateProvider = breakerState,
                FailureRatio = options.CircuitBreakerFailureRatio,
                MinimumThroughput = options.CircuitBreakerMinimumThroughput,
                SamplingDuration = options.CircuitBreakerSamplingDuration,
                BreakDuration = options.CircuitBreakerBreakDuration,
                ShouldHandle = static args => new ValueTask<bool>(IsServerFailure(args.Outcome, args.Context)),
                OnOpened = args =>
                {
                    Log.CircuitOpened(logger, endpoint, args.BreakDuration.TotalMilliseconds);
                    return default;
                },
                OnClosed = _ =>
                {
                    Log.CircuitClosed(logger, endpoint);
                    return default;
                },
            });
        }

        builder.AddStrategy(_ => new AdmissionStrategy(limiter, pacer, timeProvider), new AdmissionStrategyOptions());

        builder.AddTimeout(new TimeoutStrategyOptions
        {
            Name = options.Enabled ? "AttemptTimeout" : "Timeout",
            Timeout = options.Enabled ? options.AttemptTimeout : options.TotalTimeout,
            TimeoutGenerator = options.Enabled
                ? args => new ValueTask<TimeSpan>(AttemptTimeout(args.Context, options, timeProvider))
                : null,
        });
        return builder.Build();
    }

    /// <summary>Transient outcomes are retried; a <c>Retry-After</c> beyond the cap or the remaining budget stops retrying at once.</summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, ProfileUpdateResilienceOptions options, TimeProvider timeProvider)
    {
        TimeSpan? retryAfter = null;
        if (outcome.Exception is { } exception)
        {
            if (context.CancellationToken.IsCancellationRequested || !IsTransient(exception))
            {
                return false;
            }
        }
        else
        {
            var response = outcome.Result!;
            if (!TransientStatus.IsTransient((int)response.StatusCode))
            {
                return false;
            }

            retryAfter = ServerRetryAfter(response, context, timeProvider);
            if (retryAfter > options.MaxRetryAfter)
            {
                return false;
            }
        }

        if (!context.Properties.TryGetValue(RequestState.Key, out var request))
        {
            return true;
        }

        // The budget check uses the longest delay the backoff could draw, so the decision never depends on the jitter.
        var delay = retryAfter ?? BackoffCeiling(request.Attempts, options);
        return timeProvider.GetElapsedTime(request.StartTimestamp) + delay + MinimumAttempt <= options.TotalTimeout;
    }

    private static TimeSpan? RetryDelay(Outcome<HttpResponseMessage> outcome, ResilienceContext context, ProfileUpdateResilienceOptions options, TimeProvider timeProvider)
    {
        if (outcome.Result is { } response && ServerRetryAfter(response, context, timeProvider) is { } retryAfter)
        {
            return retryAfter;
        }

        int attempts = context.Properties.TryGetValue(RequestState.Key, out var request) ? request.Attempts : 1;
        return Backoff(attempts, options);
    }

    /// <summary>The response's <c>Retry-After</c>: read once by the attempt into the call's state; parsed here only without one.</summary>
    private static TimeSpan? ServerRetryAfter(HttpResponseMessage response, ResilienceContext context, TimeProvider timeProvider) =>
        context.Properties.TryGetValue(RequestState.Key, out var request)
            ? request.LastRetryAfter
            : RetryAfterParser.Parse(response, timeProvider.GetUtcNow());

    /// <summary>The capped exponential delay before the jitter.</summary>
    internal static TimeSpan BackoffCeiling(int attempts, ProfileUpdateResilienceOptions options)
    {
        double exponential = options.BaseDelay.Ticks * Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        return TimeSpan.FromTicks((long)Math.Min(exponential, options.MaxDelay.Ticks));
    }

    /// <summary>Exponential backoff with "equal jitter": half the capped exponential delay, plus a random part of the other half.</summary>
    internal static TimeSpan Backoff(int attempts, ProfileUpdateResilienceOptions options)
    {
        double capped = BackoffCeiling(attempts, options).Ticks;
        return TimeSpan.FromTicks((long)((capped / 2) + (Random.Shared.NextDouble() * capped / 2)));
    }

    /// <summary>The attempt timeout, cut to what is left of the total budget.</summary>
    private static TimeSpan AttemptTimeout(ResilienceContext context, ProfileUpdateResilienceOptions options, TimeProvider timeProvider)
    {
        if (!context.Properties.TryGetValue(RequestState.Key, out var request) || request.StartTimestamp == 0)
        {
            return options.AttemptTimeout;
        }

        var left = options.TotalTimeout - timeProvider.GetElapsedTime(request.StartTimestamp);
        return left < options.AttemptTimeout ? (left > MinimumAttempt ? left : MinimumAttempt) : options.AttemptTimeout;
    }

    private static bool IsServerFailure(Outcome<HttpResponseMessage> outcome, ResilienceContext context) =>
        outcome.Exception is { } exception
            ? !context.CancellationToken.IsCancellationRequested && IsTransient(exception)
            : TransientStatus.IsServerFailure((int)outcome.Result!.StatusCode);

    internal static bool IsTransient(Exception exception) =>
        exception is HttpRequestException or TimeoutRejectedException or IOException
            || (exception is OperationCanceledException && exception is not ExecutionRejectedException);

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } exception ? Log.Reason(exception) : "HTTP " + ((int)outcome.Result!.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Options of the admission strategy (it has none of its own).</summary>
    private sealed class AdmissionStrategyOptions : ResilienceStrategyOptions
    {
        public AdmissionStrategyOptions() => Name = "Admission";
    }
}
