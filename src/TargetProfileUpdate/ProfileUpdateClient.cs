using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;
using TargetProfileUpdate.Configuration;
using TargetProfileUpdate.Diagnostics;
using TargetProfileUpdate.Encoding;
using TargetProfileUpdate.Http;
using TargetProfileUpdate.Resilience;

namespace TargetProfileUpdate;

/// <summary>
/// Sends profile updates to Adobe Target's Single Profile Update API
/// (<c>/m2/{clientCode}/profile/update</c>). Sealed, immutable after construction and thread-safe:
/// one instance serves the whole process.
/// </summary>
/// <remarks>
/// <para>Register it with <c>services.AddTargetProfileUpdate(…)</c> and depend on <see cref="IProfileUpdateClient"/>;
/// or construct it with <see cref="ProfileUpdateClient(TargetProfileUpdateOptions)"/> where there is no DI.</para>
/// <para>Each update is sent as GET when its whole URL fits <see cref="TargetProfileUpdateOptions.MaxGetRequestBytes"/>,
/// else as a form POST when its body fits <see cref="TargetProfileUpdateOptions.MaxPostRequestBytes"/>; otherwise it is
/// refused before anything is sent. Success means HTTP 2xx and a body that says <c>true</c>.</para>
/// </remarks>
public sealed class ProfileUpdateClient : IProfileUpdateClient, IDisposable
{

    private readonly HttpClient _httpClient;
    private readonly bool _ownsHttpClient;
    private readonly ILogger _logger;
    private readonly string _updateUrl;
    private readonly Uri _updateUri;
    private readonly string? _authorization;
    private readonly string? _token;
    private readonly ProfileUpdateMethod _method;
    private readonly int _maxGetBytes;
    private readonly int _maxPostBytes;
    private readonly ProfileUpdateTelemetry _telemetry;
    private int _disposed;

    /// <summary>Creates a client over an <see cref="HttpClient"/> from <c>IHttpClientFactory</c> (the DI constructor).</summary>
    /// <param name="httpClient">The HTTP client; its handler chain should include the SDK's resilience handler, as <c>AddTargetProfileUpdate</c> configures.</param>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger, or <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    [ActivatorUtilitiesConstructor]
    public ProfileUpdateClient(HttpClient httpClient, IOptions<TargetProfileUpdateOptions> options, ILogger<ProfileUpdateClient>? logger = null)
        : this(httpClient, (options ?? throw new ArgumentNullException(nameof(options))).Value, logger, ProfileUpdateTelemetry.Shared)
    {
    }

    /// <summary>
    /// Creates a client without DI. It owns an <see cref="HttpClient"/> with the same handler chain and resilience
    /// pipeline as the DI registration, disposed with the client. Create one and reuse it.
    /// </summary>
    /// <param name="options">The options; validated now, exactly as DI validates them at start-up.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">The options are invalid; the message names each field.</exception>
    public ProfileUpdateClient(TargetProfileUpdateOptions options)
        : this(options, TimeProvider.System, NullLoggerFactory.Instance)
    {
    }

    /// <summary>The constructor the DI registration uses: telemetry from the container's meter factory.</summary>
    internal ProfileUpdateClient(HttpClient httpClient, TargetProfileUpdateOptions options, ILogger? logger, ProfileUpdateTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        TargetProfileUpdateOptionsValidator.ThrowIfInvalid(options);

        _httpClient = httpClient;
        _logger = logger ?? NullLogger.Instance;
        _telemetry = telemetry;
        (_updateUrl, _authorization, _token, _method, _maxGetBytes, _maxPostBytes) = Snapshot(options);
        _updateUri = new Uri(_updateUrl, UriKind.Absolute);
    }

    internal ProfileUpdateClient(TargetProfileUpdateOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
        : this(options, timeProvider, loggerFactory, HttpHandlerFactory.CreatePrimaryHandler())
    {
    }

    /// <summary>The DI-free chain over a given primary handler (tests and benchmarks use an in-memory one).</summary>
    internal ProfileUpdateClient(TargetProfileUpdateOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory, HttpMessageHandler primaryHandler)
    {
        ArgumentNullException.ThrowIfNull(options);
        TargetProfileUpdateOptionsValidator.ThrowIfInvalid(options);

        _logger = loggerFactory.CreateLogger<ProfileUpdateClient>();
        _telemetry = ProfileUpdateTelemetry.Shared;
        var handler = ProfileUpdatePipelineProvider.CreateHandler(options, timeProvider, _logger, _telemetry);
        handler.InnerHandler = primaryHandler;
        _httpClient = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _ownsHttpClient = true;
        (_updateUrl, _authorization, _token, _method, _maxGetBytes, _maxPostBytes) = Snapshot(options);
        _updateUri = new Uri(_updateUrl, UriKind.Absolute);
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

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<ProfileUpdateResult>(cancellationToken);
        }

        // Usage errors above are thrown at once; the work runs on a pooled state machine; only the Task the interface promises is allocated.
        return UpdateCoreAsync(update, cancellationToken).AsTask();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ProfileUpdateResult> UpdateCoreAsync(ProfileUpdate update, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        using var activity = ProfileUpdateTelemetry.ActivitySource.StartActivity(ProfileUpdateTelemetry.UpdateActivityName, ActivityKind.Internal);
        string methodName = "none";
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

            var result = await SendAsync(update, method, requestBytes, cancellationToken).ConfigureAwait(false);
            Record(activity, started, methodName, "accepted", result.Attempts);
            _telemetry.Sent.Add(1, new KeyValuePair<string, object?>("http.request.method", methodName));
            double elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            Log.Accepted(_logger, methodName, result.Attempts, elapsedMs);
            return result;
        }
        catch (ProfileUpdateException ex)
        {
            string outcome = Outcome(ex);
            Record(activity, started, methodName, outcome, ex.Attempts);
            _telemetry.Failed.Add(1, new KeyValuePair<string, object?>("reason", outcome));
            if (ex is ProfileUpdateRateLimitedException)
            {
                _telemetry.RateLimited.Add(1, new KeyValuePair<string, object?>("source", ex.StatusCode is null ? "client" : "server"));
            }

            if (ex is not ProfileUpdateTooLargeException)
            {
                Log.Failed(_logger, outcome, ex.StatusCode, ex.Attempts, ex.IsTransient);
            }

            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Record(activity, started, methodName, "canceled", attempts: null);
            throw;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ProfileUpdateResult> SendAsync(ProfileUpdate update, HttpMethod method, int requestBytes, CancellationToken cancellationToken)
    {
        using var request = method == HttpMethod.Get
            ? ProfileUpdateRequestFactory.CreateGet(_updateUrl, update, requestBytes)
            : ProfileUpdateRequestFactory.CreatePost(_updateUri, update, requestBytes);
        if (_authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", _authorization);
        }

        Log.Sending(_logger, method.Method, requestBytes, update.AttributeList.Count);

        HttpResponseMessage response;
        try
        {
            // The SDK's handler reads the start of the body inside the attempt (so a failure while reading it is
            // retried); without that handler, it is read here.
            response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not ProfileUpdateException)
        {
            throw NoResponse(ex, Math.Max(request.Attempts, 1));
        }

        using (response)
        {
            int attempts = Math.Max(request.Attempts, 1);
            int status = (int)response.StatusCode;
            byte[]? rented = null;
            try
            {
                ReadOnlySpan<byte> body;
                if (request.ResponseLength >= 0)
                {
                    body = request.ResponseBody;
                }
                else
                {
                    rented = ArrayPool<byte>.Shared.Rent(ProfileUpdateRequestMessage.MaxResponseBytes);
                    int length = await ResponseReader.ReadStartAsync(response, rented, ProfileUpdateRequestMessage.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
                    body = rented.AsSpan(0, length);
                }

                if (status is >= 200 and < 300)
                {
                    var verdict = ResponseParser.Parse(body, out string message);
                    if (verdict == ResponseVerdict.Accepted)
                    {
                        return new ProfileUpdateResult(message, method, attempts, requestBytes);
                    }

                    string what = verdict == ResponseVerdict.Rejected
                        ? "Adobe Target rejected the profile update (its answer was 'false')"
                        : "Adobe Target's answer was not a profile update result (empty, HTML or unknown body); the update is not known to be accepted";
                    throw new ProfileUpdateException(
                        string.Create(CultureInfo.InvariantCulture, $"{what}: HTTP {status}, {attempts} attempt(s)."),
                        status, ResponseBodyRedactor.Redact(body, update, _token), attempts, isTransient: false);
                }

                throw ErrorStatus(request, response, status, body, update, attempts);
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }
        }
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

    /// <summary>The outcome of a failed update, from a fixed set (for logs, tags and metrics).</summary>
    private static string Outcome(ProfileUpdateException exception) => exception switch
    {
        ProfileUpdateTooLargeException => "too_large",
        ProfileUpdateRateLimitedException => "rate_limited",
        { StatusCode: null, InnerException: TimeoutException } => "timeout",
        { StatusCode: null, Attempts: 0 } => "circuit_open",
        { StatusCode: null } => "connection_failure",
        { StatusCode: >= 200 and < 300 } => "rejected",
        _ => "http_error",
    };

    /// <summary>Disposes the <see cref="HttpClient"/> when this client created it; otherwise does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _ownsHttpClient)
        {
            _httpClient.Dispose();
        }
    }

    private (HttpMethod Method, int Bytes) ChooseMethod(ProfileUpdate update)
    {
        int formBytes = ProfileUpdateEncoder.GetFormLength(update);
        int urlBytes = _updateUrl.Length + 1 + formBytes;
        switch (_method)
        {
            case ProfileUpdateMethod.Get when urlBytes > _maxGetBytes:
                throw TooLarge("GET", urlBytes, _maxGetBytes, "its URL would be");
            case ProfileUpdateMethod.Get:
                return (HttpMethod.Get, urlBytes);
            case ProfileUpdateMethod.Post when formBytes > _maxPostBytes:
                throw TooLarge("POST", formBytes, _maxPostBytes, "its body would be");
            case ProfileUpdateMethod.Post:
                return (HttpMethod.Post, formBytes);
            default:
                if (urlBytes <= _maxGetBytes)
                {
                    return (HttpMethod.Get, urlBytes);
                }

                if (formBytes <= _maxPostBytes)
                {
                    return (HttpMethod.Post, formBytes);
                }

                throw TooLarge("POST", formBytes, _maxPostBytes, string.Create(
                    CultureInfo.InvariantCulture, $"its URL would be {urlBytes} bytes (GET limit {_maxGetBytes}) and its body"));
        }
    }

    private ProfileUpdateTooLargeException TooLarge(string method, int actual, int limit, string what)
    {
        Log.TooLarge(_logger, method, actual, limit);
        return new ProfileUpdateTooLargeException(
            string.Create(CultureInfo.InvariantCulture,
                $"The profile update is too large: {what} {actual} bytes, over the {method} limit of {limit} bytes. Nothing was sent; split the attributes into several updates of the same profile."),
            actual,
            limit);
    }

    private ProfileUpdateException ErrorStatus(ProfileUpdateRequestMessage request, HttpResponseMessage response, int status, ReadOnlySpan<byte> body, ProfileUpdate update, int attempts)
    {
        string? redacted = ResponseBodyRedactor.Redact(body, update, _token);
        if (status == 429)
        {
            var retryAfter = RetryAfterParser.Parse(response, request.TimeProvider.GetUtcNow());
            return new ProfileUpdateRateLimitedException(
                string.Create(CultureInfo.InvariantCulture,
                    $"Adobe Target refused the profile update for rate reasons: HTTP 429, {attempts} attempt(s){(retryAfter is { } r ? $", retry after {r.TotalSeconds:0.###} s" : string.Empty)}."),
                retryAfter,
                status,
                attempts);
        }

        string hint = status switch
        {
            >= 300 and < 400 => " The redirect was not followed: the update is never re-sent to another origin. Check BaseAddress and ClientCode.",
            401 or 403 => " Check AuthorizationToken: the account may require a profile API token.",
            414 or 413 => " The server's size limit is lower than the client's: lower MaxGetRequestBytes or MaxPostRequestBytes.",
            _ => string.Empty,
        };
        return new ProfileUpdateException(
            string.Create(CultureInfo.InvariantCulture, $"Adobe Target did not accept the profile update: HTTP {status} ({response.ReasonPhrase}), {attempts} attempt(s).{hint}"),
            status,
            redacted,
            attempts,
            TransientStatus.IsTransient(status));
    }

    private static ProfileUpdateException NoResponse(Exception ex, int attempts) => ex switch
    {
        TimeoutRejectedException timeout => new ProfileUpdateException(
            string.Create(CultureInfo.InvariantCulture, $"The profile update timed out after {timeout.Timeout.TotalSeconds:0.###} s and {attempts} attempt(s)."),
            statusCode: null, responseBody: null, attempts, isTransient: true,
            new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"The operation did not complete within {timeout.Timeout.TotalSeconds:0.###} s."))),
        BrokenCircuitException => new ProfileUpdateException(
            "The profile update was not sent: the circuit breaker is open after repeated server failures and fails fast until it closes.",
            statusCode: null, responseBody: null, attempts: 0, isTransient: true),
        OperationCanceledException => new ProfileUpdateException(
            string.Create(CultureInfo.InvariantCulture, $"The profile update timed out after {attempts} attempt(s)."),
            statusCode: null, responseBody: null, attempts, isTransient: true, new TimeoutException("The HTTP request timed out.")),
        HttpRequestException or IOException => new ProfileUpdateException(
            string.Create(CultureInfo.InvariantCulture, $"The profile update failed: no response was received (connection failure) after {attempts} attempt(s)."),
            statusCode: null, responseBody: null, attempts, isTransient: true, ex),
        _ => new ProfileUpdateException(
            string.Create(CultureInfo.InvariantCulture, $"The profile update failed before a response was received ({ex.GetType().Name})."),
            statusCode: null, responseBody: null, attempts, isTransient: false, ex),
    };

    private static (string UpdateUrl, string? Authorization, string? Token, ProfileUpdateMethod Method, int MaxGet, int MaxPost) Snapshot(TargetProfileUpdateOptions options)
    {
        string updateUrl = options.GetEffectiveBaseAddress().AbsoluteUri + "m2/" + options.ClientCode + "/profile/update";
        string? token = options.AuthorizationToken;
        return (updateUrl, token is null ? null : "Bearer " + token, token, options.Method, options.MaxGetRequestBytes, options.MaxPostRequestBytes);
    }
}
