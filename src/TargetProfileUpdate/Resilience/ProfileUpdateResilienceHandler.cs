using System;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using TargetProfileUpdate.Diagnostics;
using TargetProfileUpdate.Http;
using TargetProfileUpdate.RateLimiting;

namespace TargetProfileUpdate.Resilience;

/// <summary>
/// Runs each request of the profile update client through the resilience pipeline (or straight through when
/// resilience is off). Before every HTTP attempt it waits for the pacer (when configured) and takes a quota
/// permit (when the guard is on); each attempt re-sends the same request message, so GET URLs and POST bodies
/// are byte-identical on every retry, and is traced as a child activity. The response body is buffered inside
/// the attempt, so a connection dropped while it is read is retried too.
/// </summary>
internal sealed class ProfileUpdateResilienceHandler : DelegatingHandler
{
    private readonly ResiliencePipeline<HttpResponseMessage>? _pipeline;
    private readonly TimeProvider _timeProvider;
    private readonly IProfileUpdateQuota? _quota;
    private readonly RequestPacer? _pacer;

    public ProfileUpdateResilienceHandler(
        ResiliencePipeline<HttpResponseMessage>? pipeline,
        TimeProvider timeProvider,
        IProfileUpdateQuota? quota,
        RequestPacer? pacer)
    {
        _pipeline = pipeline;
        _timeProvider = timeProvider;
        _quota = quota;
        _pacer = pacer;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var message = request as ProfileUpdateRequestMessage;
        if (message is not null)
        {
            message.TimeProvider = _timeProvider;
            message.StartTimestamp = _timeProvider.GetTimestamp();
        }

        if (_pipeline is null)
        {
            return await SendAttemptAsync(request, message, cancellationToken).ConfigureAwait(false);
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            if (message is not null)
            {
                context.Properties.Set(ProfileUpdatePipelineFactory.RequestKey, message);
            }

            var outcome = await _pipeline.ExecuteOutcomeAsync(
                [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
                static async ValueTask<Outcome<HttpResponseMessage>> (ResilienceContext ctx, (ProfileUpdateResilienceHandler Handler, HttpRequestMessage Request, ProfileUpdateRequestMessage? Message) state) =>
                {
                    try
                    {
                        return Outcome.FromResult(await state.Handler.SendAttemptAsync(state.Request, state.Message, ctx.CancellationToken).ConfigureAwait(false));
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<HttpResponseMessage>(ex);
                    }
                },
                context,
                (Handler: this, Request: request, Message: message)).ConfigureAwait(false);

            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<HttpResponseMessage> SendAttemptAsync(HttpRequestMessage request, ProfileUpdateRequestMessage? message, CancellationToken cancellationToken)
    {
        if (_pacer is not null)
        {
            await _pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        int attempt = (message?.Attempts ?? 0) + 1;
        if (_quota is not null)
        {
            var permit = await _quota.TryAcquireAsync(cancellationToken).ConfigureAwait(false);
            if (!permit.IsGranted)
            {
                throw new ProfileUpdateRateLimitedException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"The client-side update quota is spent; nothing was sent for this attempt. A permit returns in {permit.RetryAfter.TotalSeconds:0.###} s."),
                    permit.RetryAfter,
                    statusCode: null,
                    attempts: attempt - 1);
            }
        }

        if (message is not null)
        {
            message.Attempts = attempt;
        }

        using var activity = ProfileUpdateTelemetry.ActivitySource.StartActivity(ProfileUpdateTelemetry.AttemptActivityName, ActivityKind.Internal);
        activity?.SetTag("target.profile_update.attempt", attempt);
        HttpResponseMessage? response = null;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (message is not null)
            {
                // Read the (small) body inside the attempt, into the request's pooled buffer: a connection that drops while
                // it is read is retried, and no per-response buffer is allocated.
                message.SetResponseLength(-1);
                message.SetResponseLength(await ResponseReader.ReadStartAsync(response, message.RentResponseBuffer(), ProfileUpdateRequestMessage.MaxResponseBytes, cancellationToken).ConfigureAwait(false));
            }
            else
            {
#if NET9_0_OR_GREATER
                await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
#else
                await response.Content.LoadIntoBufferAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
#endif
            }

            activity?.SetTag("http.response.status_code", (int)response.StatusCode);
            return response;
        }
        catch (Exception ex)
        {
            response?.Dispose();
            if (activity is not null)
            {
                activity.SetTag("error.type", Log.Reason(ex));
                activity.SetStatus(ActivityStatusCode.Error);
            }

            throw;
        }
    }
}
