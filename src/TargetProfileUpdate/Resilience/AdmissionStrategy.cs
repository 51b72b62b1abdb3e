using System;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Polly;
using TargetProfileUpdate.Http;
using TargetProfileUpdate.RateLimiting;

namespace TargetProfileUpdate.Resilience;

/// <summary>
/// Admits each HTTP attempt: waits for its pacing turn (bounded only by the caller's token), then takes one permit
/// from the account's limiter. It sits inside the circuit breaker (an open circuit spends no permit) and outside the
/// attempt timeout (queueing is not sending). A refusal is final for the call and never counts as a server failure.
/// </summary>
internal sealed class AdmissionStrategy(RateLimiter? limiter, RequestPacer? pacer, TimeProvider time) : ResilienceStrategy<HttpResponseMessage>
{
    protected override ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state)
    {
        context.Properties.TryGetValue(ResilienceKeys.Attempt, out var request);

        // Fast path (no pacing, a limiter that answers at once, as the in-process quota does): no extra await, no extra state machine.
        if (pacer is null)
        {
            ValueTask<RateLimitLease> acquire = limiter is null ? default : limiter.AcquireAsync(1, context.CancellationToken);
            if (limiter is null || acquire.IsCompletedSuccessfully)
            {
                if (limiter is not null)
                {
                    using var lease = acquire.Result;
                    if (!lease.IsAcquired)
                    {
                        return new(Refuse(request, lease));
                    }
                }

                Admit(request);
                return callback(context, state);
            }

            return AwaitLimiterAsync(acquire, callback, context, state, request);
        }

        return AdmitSlowlyAsync(callback, context, state, request);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Outcome<HttpResponseMessage>> AwaitLimiterAsync<TState>(
        ValueTask<RateLimitLease> acquire,
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state,
        AttemptFacts? request)
    {
        try
        {
            using var lease = await acquire.ConfigureAwait(false);
            if (!lease.IsAcquired)
            {
                return Refuse(request, lease);
            }
        }
        catch (OperationCanceledException ex)
        {
            return Outcome.FromException<HttpResponseMessage>(ex);
        }

        Admit(request);
        return await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Outcome<HttpResponseMessage>> AdmitSlowlyAsync<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state,
        AttemptFacts? request)
    {
        try
        {
            await pacer!.WaitAsync(context.CancellationToken).ConfigureAwait(false);
            if (limiter is not null)
            {
                using var lease = await limiter.AcquireAsync(1, context.CancellationToken).ConfigureAwait(false);
                if (!lease.IsAcquired)
                {
                    return Refuse(request, lease);
                }
            }
        }
        catch (OperationCanceledException ex)
        {
            return Outcome.FromException<HttpResponseMessage>(ex);
        }

        Admit(request);
        return await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
    }

    private void Admit(AttemptFacts? request) => request?.Admitted(time.GetTimestamp());

    private static Outcome<HttpResponseMessage> Refuse(AttemptFacts? request, RateLimitLease lease) =>
        Outcome.FromException<HttpResponseMessage>(new ClientRateLimitedException(Leases.RetryAfter(lease)));
}

/// <summary>The client-side limiter refused an attempt; nothing was sent for it.</summary>
internal sealed class ClientRateLimitedException(TimeSpan? retryAfter) : Exception("The client-side limiter refused the attempt; nothing was sent.")
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
