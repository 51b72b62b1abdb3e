using System;
using System.Diagnostics;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using TargetProfileUpdate.Diagnostics;

namespace TargetProfileUpdate.Http;

/// <summary>
/// Sends the calls of one endpoint of one account: asks the token provider, runs each attempt through the endpoint's
/// resilience pipeline (a new request message per attempt, identical bytes, the response body read inside the attempt),
/// and after a 401/403 forces one token refresh and resends once. Endpoint clients only build requests and read answers.
/// </summary>
internal sealed class ProfileApiSender : IDisposable
{
    private readonly HttpMessageInvoker _http;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly IProfileApiTokenProvider? _tokens;
    private readonly CancellationTokenSource _lifetime = new();
    private (string? Token, string? Header) _header;
    private volatile bool _disposed;

    public ProfileApiSender(string endpoint, HttpMessageInvoker http, ResiliencePipeline<HttpResponseMessage> pipeline, IProfileApiTokenProvider? tokens, TimeProvider time)
    {
        Endpoint = endpoint;
        _http = http;
        _pipeline = pipeline;
        _tokens = tokens;
        Time = time;
    }

    /// <summary>The endpoint's name, for logs and tags (<c>update</c>, <c>fetch</c>, <c>bulk</c>, <c>auth</c>).</summary>
    public string Endpoint { get; }

    public TimeProvider Time { get; }

    public bool IsDisposed => _disposed;

    /// <summary>
    /// Sends the call and returns the final response, whatever its status (its body is in <paramref name="state"/>).
    /// Throws what ended the call without a response: the pipeline's exceptions, <see cref="ProfileApiAuthenticationException"/>
    /// from the token provider, <see cref="ObjectDisposedException"/>, or the caller's cancellation.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<HttpResponseMessage> SendAsync(RequestState state, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        bool refreshed = false;
        if (_tokens is not null)
        {
            SetToken(state, await _tokens.GetTokenAsync(forceRefresh: false, cancellationToken).ConfigureAwait(false));
        }

        while (true)
        {
            var context = ResilienceContextPool.Shared.Get(cancellationToken);
            Outcome<HttpResponseMessage> outcome;
            try
            {
                context.Properties.Set(RequestState.Key, state);
                outcome = await _pipeline.ExecuteOutcomeAsync(
                    static (ctx, s) => s.Sender.AttemptAsync(ctx, s.State),
                    context,
                    (Sender: this, State: state)).ConfigureAwait(false);
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }

            outcome.ThrowIfException();
            var response = outcome.Result!;
            int status = (int)response.StatusCode;
            if (status is not (401 or 403) || refreshed || _tokens is null || state.Token is null)
            {
                return response;
            }

            // The token was refused: maybe rotated by someone else, or expired early. One forced refresh, one resend.
            response.Dispose();
            refreshed = true;
            SetToken(state, await _tokens.GetTokenAsync(forceRefresh: true, cancellationToken).ConfigureAwait(false));
            state.StartTimestamp = 0;
        }
    }

    private void SetToken(RequestState state, ProfileApiToken token)
    {
        string? value = token.Value;
        if (string.IsNullOrEmpty(value))
        {
            state.Token = null;
            state.Authorization = null;
            return;
        }

        var cached = _header;
        if (!string.Equals(cached.Token, value, StringComparison.Ordinal))
        {
            cached = (value, "Bearer " + value);
            _header = cached;
        }

        state.Token = value;
        state.Authorization = cached.Header;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Outcome<HttpResponseMessage>> AttemptAsync(ResilienceContext context, RequestState state)
    {
        using var activity = ProfileUpdateTelemetry.ActivitySource.StartActivity(ProfileUpdateTelemetry.AttemptActivityName, ActivityKind.Client);
        HttpResponseMessage? response = null;
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var message = state.CreateMessage(state);
            if (state.Authorization is not null)
            {
                message.Headers.TryAddWithoutValidation("Authorization", state.Authorization);
            }

            state.Attempts++;
            if (activity is not null)
            {
                activity.SetTag("target.endpoint", Endpoint);
                activity.SetTag("target.attempt", state.Attempts);
            }

            // Disposing the client ends the calls in flight (as HttpClient did); the link is what HttpClient itself allocated per call.
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, _lifetime.Token);
            response = await _http.SendAsync(message, linked.Token).ConfigureAwait(false);
            if (response.RequestMessage?.RequestUri is { } answered && message.RequestUri is { } sent
                && Uri.Compare(answered, sent, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) != 0)
            {
                throw new ForeignOriginException();
            }

            state.LastStatus = (int)response.StatusCode;
            state.LastRetryAfter = TransientStatus.IsTransient((int)response.StatusCode) ? RetryAfterParser.Parse(response, Time.GetUtcNow()) : null;
            await state.ReadBodyAsync(response, linked.Token).ConfigureAwait(false);
            activity?.SetTag("http.response.status_code", (int)response.StatusCode);
            return Outcome.FromResult(response);
        }
        catch (Exception ex)
        {
            response?.Dispose();
            var error = _disposed && ex is OperationCanceledException or ObjectDisposedException
                ? new ObjectDisposedException(nameof(ProfileApiSender), "The client was disposed while the call was in flight.")
                : ex;
            if (activity is not null)
            {
                activity.SetTag("error.type", Log.Reason(error));
                activity.SetStatus(ActivityStatusCode.Error);
            }

            return Outcome.FromException<HttpResponseMessage>(error);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            _lifetime.Cancel();
        }
        catch (AggregateException)
        {
            // A handler's cancellation callback threw; the calls still end.
        }

        _lifetime.Dispose();
    }
}

/// <summary>The answer came from another origin than the request went to (a handler followed a redirect); it is refused.</summary>
internal sealed class ForeignOriginException() : Exception("The answer came from another origin than the request was sent to; it was refused.");
