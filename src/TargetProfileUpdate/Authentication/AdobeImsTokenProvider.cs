using System;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using TargetProfileUpdate.Diagnostics;
using TargetProfileUpdate.Http;

namespace TargetProfileUpdate.Authentication;

/// <summary>
/// Adobe's OAuth Server-to-Server flow: an IMS access token (<c>POST {ImsTokenEndpoint}</c>, credentials in the form
/// body), then the profile token from the Target Admin API (<c>GET {AdminApiBaseAddress}{tenant}/target/authentication/token?authorizationScope=profile_api</c>).
/// Both are cached until <see cref="AdobeImsOptions.RefreshBeforeExpiry"/> before they expire; a refresh is single-flight
/// (one IMS call and one Admin call however many callers wait); a failed refresh keeps using a still-valid token.
/// </summary>
internal sealed class AdobeImsTokenProvider : IProfileApiTokenProvider, IDisposable
{
    /// <summary>The longest lifetime believed: <c>expiresIn</c> is inferred to be seconds, and a larger value means it is not.</summary>
    internal static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(366);

    /// <summary>After a failed refresh while the cached token is still valid, how long it is used before the next attempt
    /// (at most half its remaining life), so waiting callers do not each repeat the failed calls and log a warning.</summary>
    internal static readonly TimeSpan RetryAfterFailedRefresh = TimeSpan.FromSeconds(30);

    /// <summary>How long a failed refresh answers for the next callers (and a refused token that a forced refresh got
    /// back unchanged stays final): 5 seconds, so one outage or one refusal is one call, not one per caller.</summary>
    internal static readonly TimeSpan FailedRefreshMemory = TimeSpan.FromSeconds(5);

    private readonly AdobeImsOptions _options;
    private readonly ProfileApiCall _ims;
    private readonly ProfileApiCall _admin;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly byte[] _imsBody;
    private readonly Uri _adminUri;
    private volatile Cached? _imsToken;
    private volatile Cached? _profileToken;
    private Task<ProfileApiToken>? _inflight;
    private volatile Failure? _failure;
    private Task? _imsInflight;
    private volatile Failure? _imsFailure;

    public AdobeImsTokenProvider(AdobeImsOptions options, ProfileApiCall ims, ProfileApiCall admin, ILogger logger)
    {
        _options = options;
        _ims = ims;
        _admin = admin;
        _logger = logger;
        _imsBody = System.Text.Encoding.ASCII.GetBytes(
            "grant_type=client_credentials&client_id=" + Uri.EscapeDataString(options.ClientId ?? string.Empty)
            + "&client_secret=" + Uri.EscapeDataString(options.ClientSecret ?? string.Empty)
            + "&scope=" + Uri.EscapeDataString(options.Scopes ?? string.Empty));
        string adminBase = options.AdminApiBaseAddress.AbsoluteUri;
        _adminUri = new Uri((adminBase.EndsWith('/') ? adminBase : adminBase + "/") + Uri.EscapeDataString(options.Tenant ?? string.Empty) + "/target/authentication/token?authorizationScope=profile_api");
    }

    public ValueTask<ProfileApiToken> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken = default)
    {
        var seen = _profileToken;
        return !forceRefresh && IsFresh(seen)
            ? new ValueTask<ProfileApiToken>(seen!.Token)
            : new ValueTask<ProfileApiToken>(RefreshOrJoinAsync(seen, forceRefresh, cancellationToken));
    }

    /// <summary>
    /// One refresh at a time, shared by every caller that needs one: its token, and its failure too. A failure is
    /// remembered for <see cref="FailedRefreshMemory"/>, and a forced refresh that got the very token that was refused is
    /// remembered as final for as long, so a burst of refusals costs one IMS or Admin call, not one per caller. A caller
    /// waits only as long as its own cancellation token allows; the shared refresh is bounded by the IMS and Admin calls'
    /// own timeouts.
    /// </summary>
    private async Task<ProfileApiToken> RefreshOrJoinAsync(Cached? seen, bool forceRefresh, CancellationToken cancellationToken)
    {
        Task<ProfileApiToken> refresh;
        lock (_gate)
        {
            var current = _profileToken;
            var now = Now;

            // Someone else refreshed (or backed off after a failed refresh) meanwhile: a forced refresh is satisfied by any
            // token other than the refused one, or by the refused one itself when a forced refresh just got it back again.
            if (IsFresh(current) && (!forceRefresh || !string.Equals(current!.Value, seen?.Value, StringComparison.Ordinal) || now < current.ReissuedUntil))
            {
                return current!.Token;
            }

            if (_failure is { } failure && now < failure.Until)
            {
                failure.Error.Throw();
            }

            refresh = _inflight ??= RefreshAsync(current, forceRefresh);
        }

        return await refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<ProfileApiToken> RefreshAsync(Cached? current, bool forceRefresh)
    {
        // Never completes synchronously, so _inflight is published before the finally below clears it.
        await Task.Yield();
        try
        {
            var token = await FetchProfileTokenAsync(CancellationToken.None).ConfigureAwait(false);
            var now = Now;
            bool reissued = forceRefresh && string.Equals(current?.Value, token.Value, StringComparison.Ordinal);
            _profileToken = new Cached(token.Value!, token.ExpiresOn!.Value, RefreshAt(token.ExpiresOn.Value), reissued ? now + FailedRefreshMemory : default);
            _failure = null;
            return token;
        }
        catch (ProfileApiAuthenticationException ex) when (!forceRefresh && current is not null && current.ExpiresOn > Now)
        {
            // Keep the still-valid token, and do not try again (nor warn again) for a while.
            var now = Now;
            var wait = (current.ExpiresOn - now) / 2;
            _profileToken = current with { RefreshAt = now + (wait < RetryAfterFailedRefresh ? wait : RetryAfterFailedRefresh) };
            Log.TokenRefreshFailed(_logger, ex.Step.ToString(), ex.StatusCode);
            return current.Token;
        }
        catch (Exception ex)
        {
            _failure = new Failure(ExceptionDispatchInfo.Capture(ex), Now + FailedRefreshMemory);
            throw;
        }
        finally
        {
            lock (_gate)
            {
                _inflight = null;
            }
        }
    }

    /// <summary>
    /// The IMS access token itself, for the Adobe APIs called with it directly (Privacy Service): cached and refreshed like
    /// the profile token, single-flight with it. <paramref name="forceRefresh"/> after a 401/403 asks IMS again unless
    /// another caller already replaced the refused token.
    /// </summary>
    internal async ValueTask<ProfileApiToken> GetImsAccessTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        var seen = _imsToken;
        if (!forceRefresh && IsFresh(seen))
        {
            return seen!.Token;
        }

        Task refresh;
        lock (_gate)
        {
            var current = _imsToken;
            if (IsFresh(current) && (!forceRefresh || !string.Equals(current!.Value, seen?.Value, StringComparison.Ordinal)))
            {
                return current!.Token;
            }

            if (_imsFailure is { } failure && Now < failure.Until)
            {
                failure.Error.Throw();
            }

            refresh = _imsInflight ??= RefreshImsAsync();
        }

        await refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        return _imsToken!.Token;
    }

    /// <summary>One IMS refresh shared by every caller of <see cref="GetImsAccessTokenAsync"/>, its failure remembered
    /// for <see cref="FailedRefreshMemory"/> like the profile token's.</summary>
    private async Task RefreshImsAsync()
    {
        await Task.Yield();
        try
        {
            await GetImsTokenAsync(force: true, CancellationToken.None).ConfigureAwait(false);
            _imsFailure = null;
        }
        catch (Exception ex)
        {
            _imsFailure = new Failure(ExceptionDispatchInfo.Capture(ex), Now + FailedRefreshMemory);
            throw;
        }
        finally
        {
            lock (_gate)
            {
                _imsInflight = null;
            }
        }
    }

    private DateTimeOffset Now => _ims.Time.GetUtcNow();

    /// <summary>Fresh until its refresh time (and never past its expiry).</summary>
    private bool IsFresh(Cached? cached) => cached is not null && Now is var now && now < cached.RefreshAt && now < cached.ExpiresOn;

    /// <summary>
    /// <see cref="AdobeImsOptions.RefreshBeforeExpiry"/> before expiry; a token handed out with less life left than that
    /// (the Admin API's GET returns the existing token with its remaining lifetime) is used for half its remaining life,
    /// not refreshed on every call.
    /// </summary>
    private DateTimeOffset RefreshAt(DateTimeOffset expiresOn)
    {
        var now = Now;
        var at = expiresOn - _options.RefreshBeforeExpiry;
        return at > now ? at : now + ((expiresOn - now) / 2);
    }

    private async Task<ProfileApiToken> FetchProfileTokenAsync(CancellationToken cancellationToken)
    {
        string imsToken = await GetImsTokenAsync(force: false, cancellationToken).ConfigureAwait(false);
        AdminAnswer answer;
        try
        {
            answer = await CallAdminAsync(imsToken, HttpMethod.Get, cancellationToken).ConfigureAwait(false);
        }
        catch (ProfileApiAuthenticationException ex) when (ex.StatusCode == 401)
        {
            // The IMS token may have been revoked before its time: one fresh IMS token, one more Admin call.
            imsToken = await GetImsTokenAsync(force: true, cancellationToken).ConfigureAwait(false);
            answer = await CallAdminAsync(imsToken, HttpMethod.Get, cancellationToken).ConfigureAwait(false);
        }

        if (answer.Token is null && _options.CreateTokenIfMissing)
        {
            answer = await CallAdminAsync(imsToken, HttpMethod.Post, cancellationToken).ConfigureAwait(false);
            if (answer.Token is null)
            {
                throw new ProfileApiAuthenticationException(AuthenticationStep.AdminApi,
                    string.Create(CultureInfo.InvariantCulture, $"The Target Admin API's answer to creating the profile API token (HTTP {answer.Status}) carried no token; nothing is sent without one."),
                    answer.Status, null, answer.Attempts);
            }
        }
        else if (answer.Token is null)
        {
            throw new ProfileApiAuthenticationException(AuthenticationStep.AdminApi,
                string.Create(CultureInfo.InvariantCulture,
                    $"The Target Admin API has no profile API token for this tenant yet (HTTP {answer.Status}). Generate one once in the Target UI (Administration > Implementation > Profile API > Generate new authentication token), or set AdobeIms:CreateTokenIfMissing to true to let the SDK generate it (this invalidates any token other systems hold)."),
                answer.Status, null, answer.Attempts);
        }

        return answer.Token.Value;
    }

    private async Task<string> GetImsTokenAsync(bool force, CancellationToken cancellationToken)
    {
        var cached = _imsToken;
        if (!force && IsFresh(cached))
        {
            return cached!.Value;
        }

        var token = await _ims.SendAsync<ImsTokenRequest, ProfileApiToken>(new ImsTokenRequest(this), cancellationToken).ConfigureAwait(false);
        _imsToken = new Cached(token.Value!, token.ExpiresOn!.Value, RefreshAt(token.ExpiresOn.Value));
        return token.Value!;
    }

    private ValueTask<AdminAnswer> CallAdminAsync(string imsToken, HttpMethod method, CancellationToken cancellationToken) =>
        _admin.SendAsync<AdminTokenRequest, AdminAnswer>(new AdminTokenRequest(this, method, imsToken), cancellationToken);

    /// <summary>Reads a token answer's JSON, or throws an unexpected-answer failure of the step.</summary>
    private static T Parse<T>(ProfileApiEndpoint endpoint, int status, AttemptFacts facts, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        if (facts.BodyTruncated)
        {
            throw ProfileApiFailures.Create(endpoint, ProfileApiFailureReason.UnexpectedAnswer,
                string.Create(CultureInfo.InvariantCulture, $"{endpoint.Server}'s token answer is too large (over {facts.MaxBodyBytes} bytes); it was not read."),
                status, attempts: facts.Attempts);
        }

        try
        {
            return JsonSerializer.Deserialize(facts.Body, type) ?? throw new JsonException("The answer was null.");
        }
        catch (JsonException)
        {
            throw ProfileApiFailures.Create(endpoint, ProfileApiFailureReason.UnexpectedAnswer,
                string.Create(CultureInfo.InvariantCulture, $"{endpoint.Server}'s token answer was not the expected JSON."), status, attempts: facts.Attempts);
        }
    }

    /// <summary>A token from an answer: present, visible ASCII, with a believable lifetime; else an authentication failure of the step.</summary>
    private ProfileApiToken Issued(ProfileApiEndpoint endpoint, int status, AttemptFacts facts, string? value, double? expiresIn)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw ProfileApiFailures.Create(endpoint, ProfileApiFailureReason.UnexpectedAnswer,
                string.Create(CultureInfo.InvariantCulture, $"{endpoint.Server} answered without a token (HTTP {status})."), status, attempts: facts.Attempts);
        }

        TokenRules.ThrowIfNotSendable(value, endpoint.Step, endpoint.Server, status, facts.Attempts);
        return new ProfileApiToken(value, _ims.Time.GetUtcNow() + Lifetime(expiresIn, endpoint.Step, status, facts.Attempts));
    }

    private static TimeSpan Lifetime(double? seconds, AuthenticationStep step, int status, int attempts)
    {
        if (seconds is not { } s || !double.IsFinite(s) || s <= 0 || s > MaxLifetime.TotalSeconds)
        {
            throw new ProfileApiAuthenticationException(step,
                "The token answer's expiry is missing or absurd (expected seconds, more than 0 and at most a year); the token was not used.", status, attempts: attempts);
        }

        return TimeSpan.FromSeconds(s);
    }

    private string? Redact(ReadOnlySpan<byte> body, string? token) =>
        ResponseBodyRedactor.Redact(body, _options.ClientSecret, _options.ClientId, token, _imsToken?.Value, _profileToken?.Value);

    public void Dispose()
    {
    }

    /// <summary>The Admin API's answer: the status, and the token when it gave one (a 404 or an empty 2xx gives none).</summary>
    private readonly record struct AdminAnswer(int Status, ProfileApiToken? Token, int Attempts);

    /// <summary>The IMS call: a form POST of the credentials; its answer is the IMS access token.</summary>
    private readonly struct ImsTokenRequest(AdobeImsTokenProvider provider) : IProfileApiRequest<ProfileApiToken>
    {
        public ProfileApiEndpoint Endpoint => ProfileApiEndpoint.Ims;

        public int MaxAnswerBytes => AttemptFacts.DefaultMaxBodyBytes;

        public HttpRequestMessage CreateMessage() => new(HttpMethod.Post, provider._options.ImsTokenEndpoint)
        {
            Content = new ByteArrayContent(provider._imsBody) { Headers = { ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded") { CharSet = "utf-8" } } },
        };

        public bool IsAnswer(int status) => status is >= 200 and < 300;

        public ProfileApiToken ReadAnswer(int status, AttemptFacts facts, out string outcome)
        {
            var answer = Parse(Endpoint, status, facts, AuthJsonContext.Default.ImsTokenAnswer);
            outcome = "issued";
            return provider.Issued(Endpoint, status, facts, answer.AccessToken, answer.ExpiresIn);
        }

        public string? Hint(int status) => status is 400 or 401 or 403
            ? " Check AdobeIms:ClientId, AdobeIms:ClientSecret and AdobeIms:Scopes (copy them from the OAuth Server-to-Server credential in the Adobe Developer Console)."
            : null;

        public string? KeepBody(ReadOnlySpan<byte> body, string? token) => provider.Redact(body, token);

        public void Tag(System.Diagnostics.Activity activity)
        {
        }

        public void Record(ProfileApiInstruments instruments, string outcome, ProfileApiException? error, int attempts, double seconds)
        {
        }
    }

    /// <summary>The Admin API call (GET the tenant's profile token, or POST to create it), authorized by the IMS token.</summary>
    private readonly struct AdminTokenRequest(AdobeImsTokenProvider provider, HttpMethod method, string imsToken) : IProfileApiRequest<AdminAnswer>
    {
        public ProfileApiEndpoint Endpoint => ProfileApiEndpoint.Admin;

        public int MaxAnswerBytes => AttemptFacts.DefaultMaxBodyBytes;

        public HttpRequestMessage CreateMessage()
        {
            var message = new HttpRequestMessage(method, provider._adminUri);
            message.Headers.TryAddWithoutValidation("Authorization", "Bearer " + imsToken);
            message.Headers.TryAddWithoutValidation("X-Api-Key", provider._options.ClientId);
            message.Headers.TryAddWithoutValidation("Accept", "application/vnd.adobe.target.v1+json");
            return message;
        }

        /// <summary>A 404 is an answer: the tenant has no token yet.</summary>
        public bool IsAnswer(int status) => status is (>= 200 and < 300) or 404;

        public AdminAnswer ReadAnswer(int status, AttemptFacts facts, out string outcome)
        {
            outcome = status == 404 ? "not_found" : "answered";
            if (status == 404 || (facts.Body.IsEmpty && method == HttpMethod.Get))
            {
                return new AdminAnswer(status, null, facts.Attempts);
            }

            var answer = Parse(Endpoint, status, facts, AuthJsonContext.Default.AdminTokenAnswer);
            return string.IsNullOrEmpty(answer.AccessToken) && method == HttpMethod.Get
                ? new AdminAnswer(status, null, facts.Attempts)
                : new AdminAnswer(status, provider.Issued(Endpoint, status, facts, answer.AccessToken, answer.ExpiresIn), facts.Attempts);
        }

        public string? Hint(int status) => status is 401 or 403
            ? " Check that the credential's project includes the Adobe Target API, that its product profile has access to the tenant, and AdobeIms:Tenant."
            : null;

        public string? KeepBody(ReadOnlySpan<byte> body, string? token) => provider.Redact(body, imsToken);

        public void Tag(System.Diagnostics.Activity activity)
        {
        }

        public void Record(ProfileApiInstruments instruments, string outcome, ProfileApiException? error, int attempts, double seconds)
        {
        }
    }

    /// <summary>A failed refresh, answered to every caller until <paramref name="Until"/>.</summary>
    private sealed record Failure(ExceptionDispatchInfo Error, DateTimeOffset Until);

    /// <summary>A cached token, published as one reference so a reader never sees a value with another token's expiry.</summary>
    private sealed record Cached(string Value, DateTimeOffset ExpiresOn, DateTimeOffset RefreshAt, DateTimeOffset ReissuedUntil = default)
    {
        public ProfileApiToken Token => new(Value, ExpiresOn);
    }
}
