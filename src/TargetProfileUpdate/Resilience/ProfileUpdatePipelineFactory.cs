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
/// Builds the SDK's resilience pipeline, outermost first: retry → circuit breaker → attempt timeout. It is built
/// once per client registration, so the circuit breaker's state is shared by every request of that registration.
/// </summary>
/// <remarks>
/// The total budget (<see cref="ProfileUpdateResilienceOptions.TotalTimeout"/>) is enforced without a timeout
/// strategy of its own (which would cost a cancellation source and ~470 bytes per update): each attempt's timeout
/// is the smaller of <see cref="ProfileUpdateResilienceOptions.AttemptTimeout"/> and the budget left, and a retry
/// whose delay would not leave room for another attempt within the budget is not made; the last outcome is
/// returned instead. Backoff is exponential with jitter, computed here so that decision can see the delay.
/// </remarks>
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

        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "Retry",
                MaxRetryAttempts = options.MaxRetryAttempts,
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Outcome, args.Context, options, timeProvider)),
                DelayGenerator = static args => new ValueTask<TimeSpan?>(
                    args.Context.Properties.TryGetValue(RequestKey, out var request) ? request.PendingDelay : null),
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
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

        builder.AddTimeout(new TimeoutStrategyOptions
        {
            Name = "AttemptTimeout",
            Timeout = options.AttemptTimeout,
            TimeoutGenerator = args => new ValueTask<TimeSpan>(AttemptTimeout(args.Context, options, timeProvider)),
        });
        return builder.Build();
    }

    /// <summary>Transient outcomes are retried; a <c>Retry-After</c> beyond the cap or the remaining budget stops retrying at once.</summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, ProfileUpdateResilienceOptions options, TimeProvider timeProvider)
    {
        context.Properties.TryGetValue(RequestKey, out var request);
        if (request is not null)
        {
            request.PendingDelay = null;
        }

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

            retryAfter = RetryAfterParser.Parse(response, timeProvider.GetUtcNow());
            if (retryAfter > options.MaxRetryAfter)
            {
                return false;
            }
        }

        if (request is null)
        {
            return true;
        }

        // The delay is decided here so the budget check can see it: the server's Retry-After, else backoff.
        var delay = retryAfter ?? Backoff(request.Attempts, options);
        if (timeProvider.GetElapsedTime(request.StartTimestamp) + delay + MinimumAttempt > options.TotalTimeout)
        {
            return false;
        }

        request.PendingDelay = delay;
        return true;
    }

    /// <summary>The shortest attempt worth starting within the total budget.</summary>
    private static readonly TimeSpan MinimumAttempt = TimeSpan.FromMilliseconds(10);

    /// <summary>Exponential backoff with "equal jitter": half the capped exponential delay, plus a random part of the other half.</summary>
    internal static TimeSpan Backoff(int attempts, ProfileUpdateResilienceOptions options)
    {
        double exponential = options.BaseDelay.Ticks * Math.Pow(2, Math.Max(0, attempts - 1));
        double capped = Math.Min(exponential, options.MaxDelay.Ticks);
        return TimeSpan.FromTicks((long)((capped / 2) + (Random.Shared.NextDouble() * capped / 2)));
    }

    /// <summary>The attempt timeout, cut to what is left of the total budget.</summary>
    private static TimeSpan AttemptTimeout(ResilienceContext context, ProfileUpdateResilienceOptions options, TimeProvider timeProvider)
    {
        if (!context.Properties.TryGetValue(RequestKey, out var request))
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

    private static bool IsTransient(Exception exception) =>
        exception is HttpRequestException or TimeoutRejectedException or System.IO.IOException
            || (exception is OperationCanceledException && exception is not ExecutionRejectedException);

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } exception ? Log.Reason(exception) : "HTTP " + ((int)outcome.Result!.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
