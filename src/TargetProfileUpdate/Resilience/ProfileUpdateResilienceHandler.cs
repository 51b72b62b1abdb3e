using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using TargetProfileUpdate.Http;

namespace TargetProfileUpdate.Resilience;

/// <summary>
/// Runs each request of the profile update client through the resilience pipeline (or straight
/// through when resilience is off). Each attempt re-sends the same request message, so GET URLs and
/// POST bodies are byte-identical on every retry; the response body is buffered inside the attempt,
/// so a connection dropped while it is read is retried too.
/// </summary>
internal sealed class ProfileUpdateResilienceHandler : DelegatingHandler
{
    private readonly ResiliencePipeline<HttpResponseMessage>? _pipeline;
    private readonly TimeProvider _timeProvider;

    public ProfileUpdateResilienceHandler(ResiliencePipeline<HttpResponseMessage>? pipeline, TimeProvider timeProvider)
    {
        _pipeline = pipeline;
        _timeProvider = timeProvider;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var message = request as ProfileUpdateRequestMessage;
        if (_pipeline is null)
        {
            if (message is not null)
            {
                message.Attempts++;
            }

            return await SendAttemptAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            if (message is not null)
            {
                message.TimeProvider = _timeProvider;
                message.StartTimestamp = _timeProvider.GetTimestamp();
                context.Properties.Set(ProfileUpdatePipelineFactory.RequestKey, message);
            }

            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    if (state.Message is not null)
                    {
                        state.Message.Attempts++;
                    }

                    try
                    {
                        return Outcome.FromResult(await state.Handler.SendAttemptAsync(state.Request, ctx.CancellationToken).ConfigureAwait(false));
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

    private async Task<HttpResponseMessage> SendAttemptAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
#if NET9_0_OR_GREATER
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
#else
            await response.Content.LoadIntoBufferAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
#endif
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
