using System;
using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net.Http;
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
    private const int MaxBodyBytesRead = 4096;

    private readonly HttpClient _httpClient;
    private readonly bool _ownsHttpClient;
    private readonly ILogger _logger;
    private readonly string _updateUrl;
    private readonly string? _authorization;
    private readonly string? _token;
    private readonly ProfileUpdateMethod _method;
    private readonly int _maxGetBytes;
    private readonly int _maxPostBytes;
    private int _disposed;

    /// <summary>Creates a client over an <see cref="HttpClient"/> from <c>IHttpClientFactory</c> (the DI constructor).</summary>
    /// <param name="httpClient">The HTTP client; its handler chain should include the SDK's resilience handler, as <c>AddTargetProfileUpdate</c> configures.</param>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger, or <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    [ActivatorUtilitiesConstructor]
    public ProfileUpdateClient(HttpClient httpClient, IOptions<TargetProfileUpdateOptions> options, ILogger<ProfileUpdateClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        TargetProfileUpdateOptionsValidator.ThrowIfInvalid(value);

        _httpClient = httpClient;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        (_updateUrl, _authorization, _token, _method, _maxGetBytes, _maxPostBytes) = Snapshot(value);
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

    internal ProfileUpdateClient(TargetProfileUpdateOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        TargetProfileUpdateOptionsValidator.ThrowIfInvalid(options);

        _logger = loggerFactory.CreateLogger<ProfileUpdateClient>();
        var handler = ProfileUpdatePipelineProvider.CreateHandler(options.Resilience, timeProvider, _logger);
        handler.InnerHandler = HttpHandlerFactory.CreatePrimaryHandler();
        _httpClient = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _ownsHttpClient = true;
        (_updateUrl, _authorization, _token, _method, _maxGetBytes, _maxPostBytes) = Snapshot(options);
    }

    /// <inheritdoc />
    public async Task<ProfileUpdateResult> UpdateAsync(ProfileUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (update.AttributeList.Count == 0)
        {
            throw new ArgumentException("A profile update must set at least one attribute; nothing was sent.", nameof(update));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var (method, requestBytes) = ChooseMethod(update);
        long started = Stopwatch.GetTimestamp();
        using var request = method == HttpMethod.Get ? CreateGet(update, requestBytes) : CreatePost(update, requestBytes);
        if (_authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", _authorization);
        }

        Log.Sending(_logger, method.Method, requestBytes, update.AttributeList.Count);

        HttpResponseMessage response;
        try
        {
            response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not ProfileUpdateException)
        {
            throw Fail(NoResponse(ex, Math.Max(request.Attempts, 1)));
        }

        using (response)
        {
            int attempts = Math.Max(request.Attempts, 1);
            int status = (int)response.StatusCode;
            byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxBodyBytesRead);
            try
            {
                int length = await ReadBodyAsync(response, buffer, cancellationToken).ConfigureAwait(false);
                var body = buffer.AsSpan(0, length);
                if (status is >= 200 and < 300)
                {
                    var verdict = ResponseParser.Parse(body, out string message);
                    if (verdict == ResponseVerdict.Accepted)
                    {
                        double elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                        Log.Accepted(_logger, method.Method, attempts, elapsedMs);
                        return new ProfileUpdateResult(message, method, attempts, requestBytes);
                    }

                    string what = verdict == ResponseVerdict.Rejected
                        ? "Adobe Target rejected the profile update (its answer was 'false')"
                        : "Adobe Target's answer was not a profile update result (empty, HTML or unknown body); the update is not known to be accepted";
                    throw Fail(new ProfileUpdateException(
                        string.Create(CultureInfo.InvariantCulture, $"{what}: HTTP {status}, {attempts} attempt(s)."),
                        status, ResponseBodyRedactor.Redact(body, update, _token), attempts, isTransient: false));
                }

                throw Fail(ErrorStatus(request, response, status, body, update, attempts));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

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

    private ProfileUpdateRequestMessage CreateGet(ProfileUpdate update, int urlBytes)
    {
        string url = string.Create(urlBytes, (Prefix: _updateUrl, Update: update), static (span, state) =>
        {
            state.Prefix.CopyTo(span);
            span[state.Prefix.Length] = '?';
            ProfileUpdateEncoder.WriteForm(state.Update, span[(state.Prefix.Length + 1)..]);
        });

        // The URL is exactly encoded already: skip Uri's canonicalization of path and query (it would cost more than building the string).
        var uri = new Uri(url, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        return new ProfileUpdateRequestMessage(HttpMethod.Get, uri);
    }

    private ProfileUpdateRequestMessage CreatePost(ProfileUpdate update, int bodyBytes) =>
        new(HttpMethod.Post, new Uri(_updateUrl, UriKind.Absolute))
        {
            Content = new PooledFormContent(update, bodyBytes),
        };

    private static async ValueTask<int> ReadBodyAsync(HttpResponseMessage response, byte[] buffer, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            int total = 0;
            int read;
            while (total < MaxBodyBytesRead && (read = await stream.ReadAsync(buffer.AsMemory(total, MaxBodyBytesRead - total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return total;
        }
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

    private ProfileUpdateException Fail(ProfileUpdateException exception)
    {
        string reason = exception switch
        {
            ProfileUpdateRateLimitedException => "rate limited",
            { StatusCode: null } => exception.InnerException is TimeoutException ? "timeout" : exception.Attempts == 0 ? "circuit open" : "connection failure",
            { StatusCode: >= 200 and < 300 } => "rejected",
            _ => "http error",
        };
        Log.Failed(_logger, reason, exception.StatusCode, exception.Attempts, exception.IsTransient);
        return exception;
    }

    private static (string UpdateUrl, string? Authorization, string? Token, ProfileUpdateMethod Method, int MaxGet, int MaxPost) Snapshot(TargetProfileUpdateOptions options)
    {
        string updateUrl = options.GetEffectiveBaseAddress().AbsoluteUri + "m2/" + options.ClientCode + "/profile/update";
        string? token = options.AuthorizationToken;
        return (updateUrl, token is null ? null : "Bearer " + token, token, options.Method, options.MaxGetRequestBytes, options.MaxPostRequestBytes);
    }
}
