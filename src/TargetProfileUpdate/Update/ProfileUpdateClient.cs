using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TargetProfileUpdate.DependencyInjection;
using TargetProfileUpdate.Diagnostics;
using TargetProfileUpdate.Encoding;
using TargetProfileUpdate.Http;
using TargetProfileUpdate.Suppression;

namespace TargetProfileUpdate;

/// <summary>
/// Sends profile updates to Adobe Target's Single Profile Update API
/// (<c>/m2/{clientCode}/profile/update</c>). Sealed, immutable after construction and thread-safe:
/// one instance serves the whole process.
/// </summary>
/// <remarks>
/// <para>Register it with <c>services.AddTargetProfileUpdate(…)</c> and depend on <see cref="IProfileUpdateClient"/>
/// (a singleton per account); or construct it with <see cref="ProfileUpdateClient(TargetProfileUpdateOptions)"/> where
/// there is no DI: that builds exactly the same handler chain and pipeline, in a private container the client owns.</para>
/// <para>Each update is sent as GET when its whole URL fits <see cref="TargetProfileUpdateOptions.MaxGetRequestBytes"/>,
/// else as a form POST when its body fits <see cref="TargetProfileUpdateOptions.MaxPostRequestBytes"/>; otherwise it is
/// refused before anything is sent. Success means HTTP 2xx and a body that says <c>true</c>.</para>
/// </remarks>
public sealed class ProfileUpdateClient : IProfileUpdateClient, IDisposable
{
    private const string What = "The profile update";

    private readonly TargetAccount _account;
    private readonly ServiceProvider? _ownedServices;
    private readonly ILogger _logger;
    private readonly string _updateUrl;
    private readonly Uri _updateUri;
    private readonly ProfileUpdateMethod _method;
    private readonly int _maxGetBytes;
    private readonly int _maxPostBytes;
    private readonly ProfileUpdateTelemetry _telemetry;
    private readonly ProfileAttributeLinter _linter;
    private int _disposed;

    /// <summary>
    /// Creates a client without DI. It owns the same handler chain, token provider, quota and resilience pipeline as
    /// the DI registration (built by the same code), disposed with the client. Create one and reuse it.
    /// </summary>
    /// <param name="options">The options; validated now, exactly as DI validates them at start-up.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">The options are invalid; the message names each field.</exception>
    public ProfileUpdateClient(TargetProfileUpdateOptions options)
        : this(Standalone.Create(options, null, null, null))
    {
    }

    /// <summary>The DI-free chain over a given clock, loggers and primary handler (tests and benchmarks).</summary>
    internal ProfileUpdateClient(TargetProfileUpdateOptions options, TimeProvider? timeProvider, ILoggerFactory? loggerFactory, HttpMessageHandler? primaryHandler)
        : this(Standalone.Create(options, timeProvider, loggerFactory, primaryHandler))
    {
    }

    private ProfileUpdateClient((TargetAccount Account, ServiceProvider Services) standalone)
        : this(standalone.Account)
    {
        _ownedServices = standalone.Services;
    }

    /// <summary>The client of one registered account (the DI registration).</summary>
    internal ProfileUpdateClient(TargetAccount account)
    {
        _account = account;
        var options = account.Options;
        _logger = account.LoggerFactory.CreateLogger<ProfileUpdateClient>();
        _telemetry = account.Telemetry;
        _linter = new ProfileAttributeLinter(options.Linting, _logger);
        _updateUrl = account.BaseAddress.AbsoluteUri + "m2/" + options.ClientCode + "/profile/update";
        _updateUri = new Uri(_updateUrl, UriKind.Absolute);
        _method = options.Method;
        _maxGetBytes = options.MaxGetRequestBytes;
        _maxPostBytes = options.MaxPostRequestBytes;
    }

    /// <inheritdoc />
    public Task<ProfileUpdateResult> UpdateAsync(ProfileUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (update.AttributeList.Count == 0)
        {
            throw new ArgumentException("A profile update must set at least one attribute; nothing was sent.", nameof(update));
        }

        _linter.Enforce(update);

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<ProfileUpdateResult>(cancellationToken);
        }

        // Refused before anything is sent when the id is suppressed; an empty in-memory list answers synchronously, with no hashing.
#pragma warning disable CA2012 // Consumed once: read synchronously when already completed, otherwise awaited (once) by the slow path.
        var suppressed = _account.Suppression.ContainsAsync(update.Id, cancellationToken);
        if (!suppressed.IsCompletedSuccessfully || suppressed.Result)
        {
            return UpdateUnlessSuppressedAsync(update, suppressed, cancellationToken);
        }
#pragma warning restore CA2012

        // Usage errors above are thrown at once; the work runs on a pooled state machine; only the Task the interface promises is allocated.
        return UpdateCoreAsync(update, cancellationToken).AsTask();
    }

    private async Task<ProfileUpdateResult> UpdateUnlessSuppressedAsync(ProfileUpdate update, ValueTask<bool> check, CancellationToken cancellationToken)
    {
        bool suppressed;
        try
        {
            suppressed = await check.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Fail closed: an update is never sent to a person who may have been erased.
            throw new ProfileUpdateException("The suppression list could not be read, so the update was not sent (it may be for an erased person). Try again when the list is reachable.", null, null, 0, true, ex);
        }

        if (suppressed)
        {
            SuppressionGuard.Record(_telemetry, _account.SuppressionLogger, SuppressionGuard.Update);
            throw new ProfileSuppressedException();
        }

        return await UpdateCoreAsync(update, cancellationToken).ConfigureAwait(false);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ProfileUpdateResult> UpdateCoreAsync(ProfileUpdate update, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        using var activity = ProfileUpdateTelemetry.ActivitySource.StartActivity(ProfileUpdateTelemetry.UpdateActivityName, ActivityKind.Internal);
        string methodName = "none";
        RequestState? state = null;
        try
        {
            var (method, requestBytes) = ChooseMethod(update);
            methodName = method.Method;
            _telemetry.RequestSize.Record(requestBytes, new KeyValuePair<string, object?>("http.request.method", methodName));
            if (activity is not null)
            {
                activity.SetTag("http.request.method", methodName);
                activity.SetTag("target.profile_update.size_bucket", ProfileUpdateTelemetry.SizeBucket(requestBytes));
            }

            state = new RequestState(ProfileUpdateRequestFactory.CreateMessage, update)
            {
                Method = method,
                RequestBytes = requestBytes,
                RequestUri = method == HttpMethod.Get
                    ? ProfileUpdateRequestFactory.CreateUri(ProfileUpdateRequestFactory.BuildGetUrl(_updateUrl, update, requestBytes))
                    : _updateUri,
            };

            Log.Sending(_logger, methodName, requestBytes, update.AttributeList.Count);
            var result = await SendAsync(update, state, cancellationToken).ConfigureAwait(false);
            Record(activity, started, methodName, "accepted", result.Attempts);
            _telemetry.Sent.Add(1, new KeyValuePair<string, object?>("http.request.method", methodName));
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                double elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                Log.Accepted(_logger, methodName, result.Attempts, elapsedMs);
            }

            return result;
        }
        catch (ProfileUpdateException ex)
        {
            var reason = state?.Reason is { } r && r != FailureReason.None ? r : FailureReason.TooLarge;
            string outcome = reason.ToTag();
            Record(activity, started, methodName, outcome, ex.Attempts);
            _telemetry.Failed.Add(1, new KeyValuePair<string, object?>("reason", outcome));
            if (reason is FailureReason.ClientRateLimited or FailureReason.ServerRateLimited)
            {
                _telemetry.RateLimited.Add(1, new KeyValuePair<string, object?>("source", reason == FailureReason.ClientRateLimited ? "client" : "server"));
            }

            if (reason != FailureReason.TooLarge)
            {
                Log.Failed(_logger, outcome, ex.StatusCode, ex.Attempts, ex.IsTransient);
            }

            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Record(activity, started, methodName, "canceled", attempts: state?.Attempts);
            throw;
        }
        finally
        {
            state?.Dispose();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ProfileUpdateResult> SendAsync(ProfileUpdate update, RequestState state, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _account.UpdateSender.SendAsync(state, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not ProfileUpdateException)
        {
            throw NoAnswer(ex, update, state);
        }

        using (response)
        {
            int status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                var verdict = ResponseParser.Parse(state.Body, out string message);
                if (verdict == ResponseVerdict.Accepted)
                {
                    return new ProfileUpdateResult(message, state.Method, state.Attempts, state.RequestBytes);
                }

                bool rejected = verdict == ResponseVerdict.Rejected;
                string what = rejected
                    ? "Adobe Target rejected the profile update (its answer was 'false')"
                    : "Adobe Target's answer was not a profile update result (empty, HTML or unknown body); the update is not known to be accepted";
                throw ToException(new ApiFailure(rejected ? FailureReason.Rejected : FailureReason.UnknownAnswer,
                    string.Create(CultureInfo.InvariantCulture, $"{what}: HTTP {status}, {state.Attempts} attempt(s)."),
                    status, Redact(state.Body, update, state), state.Attempts, false), state);
            }

            string? hint = status is 414 or 413
                ? " The server's size limit is lower than the client's: lower MaxGetRequestBytes or MaxPostRequestBytes."
                : null;
            throw ToException(ApiFailure.FromStatus(status, state, What, Redact(state.Body, update, state), hint), state);
        }
    }

    /// <summary>Classifies a call that ended without an answer (a method of its own: the redactor's closure is allocated only here).</summary>
    private ProfileUpdateException NoAnswer(Exception ex, ProfileUpdate update, RequestState state) =>
        ToException(ApiFailure.FromException(
            _disposed != 0 && ex is OperationCanceledException ? new ObjectDisposedException(nameof(ProfileUpdateClient)) : ex,
            state,
            What,
            body => Redact(body, update, state)), state);

    private static string? Redact(ReadOnlySpan<byte> body, ProfileUpdate update, RequestState state) =>
        ResponseBodyRedactor.Redact(body, update, state.Token);

    private static ProfileUpdateException ToException(ApiFailure failure, RequestState state)
    {
        state.Reason = failure.Reason;
        return failure.Reason is FailureReason.ClientRateLimited or FailureReason.ServerRateLimited
            ? new ProfileUpdateRateLimitedException(failure.Message, failure.RetryAfter, failure.StatusCode, failure.Attempts, failure.Inner)
            : new ProfileUpdateException(failure.Message, failure.StatusCode, failure.ResponseBody, failure.Attempts, failure.IsTransient,
                failure.Reason == FailureReason.Authentication && failure.Inner is null
                    ? new ProfileApiAuthenticationException(AuthenticationStep.ProfileEndpoint, failure.Message, failure.StatusCode, failure.ResponseBody, failure.Attempts)
                    : failure.Inner);
    }

    private void Record(Activity? activity, long started, string method, string outcome, int? attempts)
    {
        _telemetry.Duration.Record(
            Stopwatch.GetElapsedTime(started).TotalSeconds,
            new KeyValuePair<string, object?>("http.request.method", method),
            new KeyValuePair<string, object?>("outcome", outcome));
        if (activity is not null)
        {
            activity.SetTag("target.profile_update.outcome", outcome);
            if (attempts is { } n)
            {
                activity.SetTag("target.profile_update.attempts", n);
            }

            if (outcome != "accepted")
            {
                activity.SetStatus(ActivityStatusCode.Error, outcome);
            }
        }
    }

    /// <summary>Marks the client disposed (calls in flight end with a non-transient exception whose inner exception is
    /// <see cref="ObjectDisposedException"/>); a client created without DI also disposes what it owns.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _ownedServices is not null)
        {
            _account.Dispose();
            _ownedServices.Dispose();
        }
    }

    private (HttpMethod Method, int Bytes) ChooseMethod(ProfileUpdate update)
    {
        long formBytes = ProfileUpdateEncoder.GetFormLength(update);
        long urlBytes = _updateUrl.Length + 1 + formBytes;
        switch (_method)
        {
            case ProfileUpdateMethod.Get when urlBytes > _maxGetBytes:
                throw TooLarge("GET", urlBytes, _maxGetBytes, "its URL would be");
            case ProfileUpdateMethod.Get:
                return (HttpMethod.Get, (int)urlBytes);
            case ProfileUpdateMethod.Post when formBytes > _maxPostBytes:
                throw TooLarge("POST", formBytes, _maxPostBytes, "its body would be");
            case ProfileUpdateMethod.Post:
                return (HttpMethod.Post, (int)formBytes);
            default:
                if (urlBytes <= _maxGetBytes)
                {
                    return (HttpMethod.Get, (int)urlBytes);
                }

                if (formBytes <= _maxPostBytes)
                {
                    return (HttpMethod.Post, (int)formBytes);
                }

                throw TooLarge("POST", formBytes, _maxPostBytes, string.Create(
                    CultureInfo.InvariantCulture, $"its URL would be {urlBytes} bytes (GET limit {_maxGetBytes}) and its body"));
        }
    }

    private ProfileUpdateTooLargeException TooLarge(string method, long actual, int limit, string what)
    {
        int reported = (int)Math.Min(actual, int.MaxValue);
        Log.TooLarge(_logger, method, reported, limit);
        return new ProfileUpdateTooLargeException(
            string.Create(CultureInfo.InvariantCulture,
                $"The profile update is too large: {what} {actual} bytes, over the {method} limit of {limit} bytes. Nothing was sent; split the attributes into several updates of the same profile."),
            reported,
            limit);
    }
}
