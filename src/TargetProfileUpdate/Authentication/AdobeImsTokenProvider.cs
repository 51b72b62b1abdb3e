using System;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
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

    private readonly AdobeImsOptions _options;
    private readonly ProfileApiSender _ims;
    private readonly ProfileApiSender _admin;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly byte[] _imsBody;
    private readonly Uri _adminUri;
    private volatile Cached? _imsToken;
    private volatile Cached? _profileToken;

    public AdobeImsTokenProvider(AdobeImsOptions options, ProfileApiSender ims, ProfileApiSender admin, ILogger logger)
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

    /// <summary>IMS calls made (for tests).</summary>
    internal int ImsCalls;

    /// <summary>Admin API calls made (for tests).</summary>
    internal int AdminCalls;

    public async ValueTask<ProfileApiToken> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken = default)
    {
        var seen = _profileToken;
        if (!forceRefresh && IsFresh(seen))
        {
            return seen!.Token;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = _profileToken;
            // Someone else refreshed (or backed off after a failed refresh) while this caller waited: a forced refresh is
            // satisfied by any token other than the refused one.
            if (IsFresh(current) && (!forceRefresh || !string.Equals(current!.Token.Value, seen?.Token.Value, StringComparison.Ordinal)))
            {
                return current!.Token;
            }

            try
            {
                var token = await FetchProfileTokenAsync(cancellationToken).ConfigureAwait(false);
                _profileToken = new Cached(token.Value!, token.ExpiresOn!.Value, RefreshAt(token.ExpiresOn.Value));
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
        }
        finally
        {
            _refresh.Release();
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

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = _imsToken;
            if (IsFresh(current) && (!forceRefresh || !string.Equals(current!.Value, seen?.Value, StringComparison.Ordinal)))
            {
                return current!.Token;
            }

            await GetImsTokenAsync(force: true, cancellationToken).ConfigureAwait(false);
            return _imsToken!.Token;
        }
        finally
        {
            _refresh.Release();
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
        var (status, answer, body) = await CallAdminAsync(imsToken, HttpMethod.Get, cancellationToken).ConfigureAwait(false);
        if (status == 401)
        {
            // The IMS token may have been revoked before its time: one fresh IMS token, one more Admin call.
            imsToken = await GetImsTokenAsync(force: true, cancellationToken).ConfigureAwait(false);
            (status, answer, body) = await CallAdminAsync(imsToken, HttpMethod.Get, cancellationToken).ConfigureAwait(false);
        }

        if ((status == 404 || (status is >= 200 and < 300 && string.IsNullOrEmpty(answer?.AccessToken))) && _options.CreateTokenIfMissing)
        {
            (status, answer, body) = await CallAdminAsync(imsToken, HttpMethod.Post, cancellationToken).ConfigureAwait(false);
        }
        else if (status == 404 || (status is >= 200 and < 300 && string.IsNullOrEmpty(answer?.AccessToken)))
        {
            throw new ProfileApiAuthenticationException(AuthenticationStep.AdminApi,
                string.Create(CultureInfo.InvariantCulture,
                    $"The Target Admin API has no profile API token for this tenant yet (HTTP {status}). Generate one once in the Target UI (Administration > Implementation > Profile API > Generate new authentication token), or set AdobeIms:CreateTokenIfMissing to true to let the SDK generate it (this invalidates any token other systems hold)."),
                status, body);
        }

        if (status is not (>= 200 and < 300))
        {
            throw new ProfileApiAuthenticationException(AuthenticationStep.AdminApi,
                string.Create(CultureInfo.InvariantCulture,
                    $"The Target Admin API did not give the profile API token: HTTP {status}.{(status is 401 or 403 ? " Check that the credential's project includes the Adobe Target API, that its product profile has access to the tenant, and AdobeIms:Tenant." : string.Empty)}"),
                status, body, isTransient: status >= 500 || status == 429);
        }

        var lifetime = Lifetime(answer!.ExpiresIn, AuthenticationStep.AdminApi);
        return new ProfileApiToken(answer.AccessToken, _admin.Time.GetUtcNow() + lifetime);
    }

    private async Task<string> GetImsTokenAsync(bool force, CancellationToken cancellationToken)
    {
        var cached = _imsToken;
        if (!force && IsFresh(cached))
        {
            return cached!.Value;
        }

        Interlocked.Increment(ref ImsCalls);
        using var state = new RequestState(static s => new HttpRequestMessage(HttpMethod.Post, s.RequestUri)
        {
            Content = new ByteArrayContent((byte[])s.Payload!) { Headers = { ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded") { CharSet = "utf-8" } } },
        }, _imsBody)
        { RequestUri = _options.ImsTokenEndpoint, Method = HttpMethod.Post };

        using var response = await SendAsync(_ims, state, AuthenticationStep.Ims, cancellationToken).ConfigureAwait(false);
        int status = (int)response.StatusCode;
        if (status is not (>= 200 and < 300))
        {
            throw new ProfileApiAuthenticationException(AuthenticationStep.Ims,
                string.Create(CultureInfo.InvariantCulture,
                    $"Adobe IMS refused to issue an access token: HTTP {status}.{(status is 400 or 401 or 403 ? " Check AdobeIms:ClientId, AdobeIms:ClientSecret and AdobeIms:Scopes (copy them from the OAuth Server-to-Server credential in the Adobe Developer Console)." : string.Empty)}"),
                status, Redact(state), state.Attempts, status >= 500 || status == 429);
        }

        var answer = Parse(state, AuthJsonContext.Default.ImsTokenAnswer, AuthenticationStep.Ims);
        if (string.IsNullOrEmpty(answer.AccessToken))
        {
            throw new ProfileApiAuthenticationException(AuthenticationStep.Ims, "Adobe IMS answered without an access token.", status, null, state.Attempts);
        }

        var expiresOn = _ims.Time.GetUtcNow() + Lifetime(answer.ExpiresIn, AuthenticationStep.Ims);
        _imsToken = new Cached(answer.AccessToken, expiresOn, RefreshAt(expiresOn));
        return answer.AccessToken;
    }

    private async Task<(int Status, AdminTokenAnswer? Answer, string? Body)> CallAdminAsync(string imsToken, HttpMethod method, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref AdminCalls);
        using var state = new RequestState(static s =>
        {
            var message = new HttpRequestMessage(s.Method, s.RequestUri);
            message.Headers.TryAddWithoutValidation("X-Api-Key", (string)s.Payload!);
            message.Headers.TryAddWithoutValidation("Accept", "application/vnd.adobe.target.v1+json");
            return message;
        }, _options.ClientId)
        {
            RequestUri = _adminUri,
            Method = method,
            Authorization = "Bearer " + imsToken,
            Token = imsToken,
        };

        using var response = await SendAsync(_admin, state, AuthenticationStep.AdminApi, cancellationToken).ConfigureAwait(false);
        int status = (int)response.StatusCode;
        AdminTokenAnswer? answer = status is >= 200 and < 300 && state.Body.Length > 0
            ? Parse(state, AuthJsonContext.Default.AdminTokenAnswer, AuthenticationStep.AdminApi)
            : null;
        return (status, answer, status is >= 200 and < 300 ? null : Redact(state));
    }

    private static async Task<HttpResponseMessage> SendAsync(ProfileApiSender sender, RequestState state, AuthenticationStep step, CancellationToken cancellationToken)
    {
        try
        {
            return await sender.SendAsync(state, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            var failure = ApiFailure.FromException(ex, state, step == AuthenticationStep.Ims ? "The IMS token request" : "The Admin API token request", static _ => null);
            throw new ProfileApiAuthenticationException(step, failure.Message, failure.StatusCode, null, failure.Attempts, failure.IsTransient, failure.Inner);
        }
    }

    private static T Parse<T>(RequestState state, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, AuthenticationStep step)
    {
        try
        {
            return JsonSerializer.Deserialize(state.Body, type)
                ?? throw new JsonException("The answer was null.");
        }
        catch (JsonException)
        {
            throw new ProfileApiAuthenticationException(step, "The token answer was not the expected JSON.", state.LastStatus, null, state.Attempts);
        }
    }

    private static TimeSpan Lifetime(double? seconds, AuthenticationStep step)
    {
        if (seconds is not { } s || !double.IsFinite(s) || s <= 0 || s > MaxLifetime.TotalSeconds)
        {
            throw new ProfileApiAuthenticationException(step,
                "The token answer's expiry is missing or absurd (expected seconds, more than 0 and at most a year); the token was not used.", 200);
        }

        return TimeSpan.FromSeconds(s);
    }

    private string? Redact(RequestState state) =>
        ResponseBodyRedactor.Redact(state.Body, _options.ClientSecret, _options.ClientId, state.Token, _imsToken?.Value, _profileToken?.Value);

    public void Dispose() => _refresh.Dispose();

    /// <summary>A cached token, published as one reference so a reader never sees a value with another token's expiry.</summary>
    private sealed record Cached(string Value, DateTimeOffset ExpiresOn, DateTimeOffset RefreshAt)
    {
        public ProfileApiToken Token => new(Value, ExpiresOn);
    }
}
