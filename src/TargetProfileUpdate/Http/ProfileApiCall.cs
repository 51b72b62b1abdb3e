using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Polly;
using TargetProfileUpdate.Authentication;
using TargetProfileUpdate.Diagnostics;

namespace TargetProfileUpdate.Http;

/// <summary>
/// The one call envelope of every endpoint of one account's API (update, fetch, bulk, the token endpoints): it alone owns
/// the activity, the duration and outcome metrics (tagged endpoint and account), the final log line, the cancellation rule,
/// the token (asked before sending, checked, one forced refresh and one resend after a 401/403), the resilience pipeline
/// (a new message per attempt, the body read inside the attempt) and the classification of every failure into one
/// <see cref="ProfileApiException"/>. An endpoint supplies an <see cref="IProfileApiRequest{TResult}"/>: build the request,
/// read the answer.
/// </summary>
internal sealed class ProfileApiCall : IDisposable
{
    private readonly HttpMessageInvoker _http;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly IProfileApiTokenProvider? _tokens;
    private readonly ProfileApiResilienceOptions _options;
    private readonly ProfileApiInstruments _instruments;
    private readonly ILogger _logger;
    private readonly string _account;
    private readonly CancellationTokenSource _lifetime = new();
    private BearerHeader? _header;
    private volatile bool _disposed;

    public ProfileApiCall(
        HttpMessageInvoker http,
        ResiliencePipeline<HttpResponseMessage> pipeline,
        IProfileApiTokenProvider? tokens,
        ProfileApiResilienceOptions options,
        TimeProvider time,
        ProfileApiInstruments instruments,
        ILogger logger,
        string account)
    {
        _http = http;
        _pipeline = pipeline;
        _tokens = tokens;
        _options = options;
        Time = time;
        _instruments = instruments;
        _logger = logger;
        _account = account;
    }

    public TimeProvider Time { get; }

    /// <summary>Sends the call and returns what the endpoint read from its answer, or throws a <see cref="ProfileApiException"/>
    /// (the caller's cancellation propagates unwrapped as <see cref="OperationCanceledException"/>).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<TResult> SendAsync<TRequest, TResult>(TRequest request, CancellationToken cancellationToken)
        where TRequest : IProfileApiRequest<TResult>
    {
        var endpoint = request.Endpoint;
        long started = Time.GetTimestamp();
        using var activity = ProfileApiInstruments.ActivitySource.StartActivity(endpoint.ActivityName, ActivityKind.Internal);
        if (activity is not null)
        {
            activity.SetTag("target.endpoint", endpoint.Name);
            activity.SetTag("target.account", _account);
            request.Tag(activity);
        }

        var facts = new CallAttempts<TRequest, TResult>(this, request);
        string? token = null;
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var header = _tokens is null ? null : Header(await _tokens.GetTokenAsync(forceRefresh: false, cancellationToken).ConfigureAwait(false));
            bool refreshed = false;
            HttpResponseMessage response;
            while (true)
            {
                token = header?.Token;
                facts.Authorization = header?.Value;
                var context = ResilienceContextPool.Shared.Get(cancellationToken);
                Outcome<HttpResponseMessage> outcome;
                try
                {
                    context.Properties.Set(ResilienceKeys.Attempt, facts);
                    outcome = await _pipeline.ExecuteOutcomeAsync(
                        static (ctx, call) => call.Call.AttemptAsync(ctx, call),
                        context,
                        facts).ConfigureAwait(false);
                }
                finally
                {
                    ResilienceContextPool.Shared.Return(context);
                }

                outcome.ThrowIfException();
                response = outcome.Result!;
                if ((int)response.StatusCode is not (401 or 403) || refreshed || header is null)
                {
                    break;
                }

                // The token was refused: maybe rotated by someone else, or expired early. One forced refresh, one resend;
                // none when the refresh gives the very token that was refused (the refusal is then final).
                refreshed = true;
                BearerHeader? fresh;
                try
                {
                    fresh = Header(await _tokens!.GetTokenAsync(forceRefresh: true, cancellationToken).ConfigureAwait(false));
                }
                catch
                {
                    response.Dispose();
                    throw;
                }

                if (fresh is not null && string.Equals(fresh.Token, header.Token, StringComparison.Ordinal))
                {
                    break;
                }

                response.Dispose();
                header = fresh;
                facts.RestartBudget();
            }

            using (response)
            {
                int status = (int)response.StatusCode;
                var result = request.IsAnswer(status)
                    ? request.ReadAnswer(status, facts, out string success)
                    : throw ProfileApiFailures.FromStatus(endpoint, status, facts, request.KeepBody(facts.Body, token), request.Hint(status));
                Completed<TRequest, TResult>(request, activity, started, success, facts.Attempts, null);
                return result;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Completed<TRequest, TResult>(request, activity, started, FailureTags.Canceled, facts.Attempts, null);
            throw;
        }
        catch (Exception ex)
        {
            var error = ex as ProfileApiException ?? ProfileApiFailures.FromException(
                endpoint,
                _disposed && ex is OperationCanceledException ? new ObjectDisposedException(nameof(ProfileApiCall)) : ex,
                facts,
                Time.GetElapsedTime(started),
                _options,
                facts.LastStatus is null ? null : request.KeepBody(facts.Body, token));
            Completed<TRequest, TResult>(request, activity, started, error.Reason.ToTag(), facts.Attempts, error);
            if (ReferenceEquals(error, ex))
            {
                throw;
            }

            throw error;
        }
        finally
        {
            facts.Dispose();
        }
    }

    /// <summary>Records the envelope's metrics, activity tags and final log line, then the endpoint's own instruments.</summary>
    private void Completed<TRequest, TResult>(TRequest request, Activity? activity, long started, string outcome, int attempts, ProfileApiException? error)
        where TRequest : IProfileApiRequest<TResult>
    {
        var endpoint = request.Endpoint;
        var elapsed = Time.GetElapsedTime(started);
        _instruments.CallDuration.Record(
            elapsed.TotalSeconds,
            new KeyValuePair<string, object?>("endpoint", endpoint.Name),
            new KeyValuePair<string, object?>("account", _account),
            new KeyValuePair<string, object?>("outcome", outcome));
        if (activity is not null)
        {
            activity.SetTag(endpoint.OutcomeTag, outcome);
            activity.SetTag(endpoint.AttemptsTag, attempts);
            if (error is not null || outcome == FailureTags.Canceled)
            {
                activity.SetStatus(ActivityStatusCode.Error, outcome);
            }
        }

        if (error is not null)
        {
            endpoint.Failed(_logger, outcome, error.StatusCode, attempts, elapsed.TotalMilliseconds, error.IsTransient, _account, null);
        }
        else if (outcome != FailureTags.Canceled && _logger.IsEnabled(LogLevel.Debug))
        {
            endpoint.Succeeded(_logger, outcome, attempts, elapsed.TotalMilliseconds, _account, null);
        }

        request.Record(_instruments, outcome, error, attempts, elapsed.TotalSeconds);
    }

    /// <summary>The <c>Authorization</c> header of a token, or <see langword="null"/> for <see cref="ProfileApiToken.None"/>; a
    /// token that is empty or not visible ASCII is refused before anything is sent (an empty one would have sent the request
    /// unauthenticated; one with CR/LF could split the request: header injection).</summary>
    private BearerHeader? Header(ProfileApiToken token)
    {
        string? value = token.Value;
        if (value is null)
        {
            return null;
        }

        var cached = _header;
        if (cached is not null && string.Equals(cached.Token, value, StringComparison.Ordinal))
        {
            return cached;
        }

        TokenRules.ThrowIfNotSendable(value, AuthenticationStep.TokenProvider, "The token provider");
        cached = new BearerHeader(value, "Bearer " + value);
        _header = cached;
        return cached;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Outcome<HttpResponseMessage>> AttemptAsync<TRequest, TResult>(ResilienceContext context, CallAttempts<TRequest, TResult> facts)
        where TRequest : IProfileApiRequest<TResult>
    {
        using var activity = ProfileApiInstruments.ActivitySource.StartActivity(ProfileApiInstruments.AttemptActivityName, ActivityKind.Client);
        HttpResponseMessage? response = null;
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var message = facts.Request.CreateMessage();
            if (facts.Authorization is { } authorization)
            {
                message.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            facts.Sending();
            if (activity is not null)
            {
                activity.SetTag("target.endpoint", facts.Request.Endpoint.Name);
                activity.SetTag("target.attempt", facts.Attempts);
            }

            // Disposing the client ends the calls in flight (as HttpClient did); the link is what HttpClient itself allocated per call.
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, _lifetime.Token);
            response = await _http.SendAsync(message, linked.Token).ConfigureAwait(false);
            if (response.RequestMessage?.RequestUri is { } answered && message.RequestUri is { } sent
                && Uri.Compare(answered, sent, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) != 0)
            {
                throw new ForeignOriginException();
            }

            int status = (int)response.StatusCode;
            facts.Answered(status, ProfileApiFailures.IsTransient(status) ? RetryAfterParser.Parse(response, Time.GetUtcNow()) : null);
            await facts.ReadBodyAsync(response, linked.Token).ConfigureAwait(false);
            activity?.SetTag("http.response.status_code", status);
            return Outcome.FromResult(response);
        }
        catch (Exception ex)
        {
            response?.Dispose();
            var error = _disposed && ex is OperationCanceledException or ObjectDisposedException
                ? new ObjectDisposedException(nameof(ProfileApiCall), "The client was disposed while the call was in flight.")
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

    /// <summary>
    /// One call's attempt facts with what each attempt sends: the request and the <c>Authorization</c> value. It is the
    /// pipeline's whole state, one reference: Polly copies the state into every strategy's async state machine, so a
    /// wide tuple (the call, the request struct, the facts, the header) cost 48 B more per update than this (measured).
    /// </summary>
    private sealed class CallAttempts<TRequest, TResult>(ProfileApiCall call, TRequest request) : AttemptFacts(request.MaxAnswerBytes)
        where TRequest : IProfileApiRequest<TResult>
    {
        public readonly ProfileApiCall Call = call;

        public readonly TRequest Request = request;

        /// <summary>The <c>Authorization</c> value of this round of attempts (a new one after a forced refresh), or none.</summary>
        public string? Authorization;
    }

    /// <summary>A token and its <c>Authorization</c> value, published as one reference (built once per token).</summary>
    private sealed record BearerHeader(string Token, string Value);
}
