using System;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading;

namespace TargetProfileUpdate.Emulator.State;

/// <summary>
/// The tokens of the emulated account: IMS access tokens handed out by <c>/ims/token/v3</c>, and the one current
/// profile API token the Admin API reads (GET) and rotates (POST).
/// </summary>
/// <remarks>
/// Without an IMS client id the profile token is <see cref="TargetEmulatorOptions.AuthorizationToken"/>, fixed, expiring
/// after <see cref="TargetEmulatorOptions.AuthorizationTokenLifetime"/> when that is set (none means no authentication).
/// With one, it expires after <see cref="TargetEmulatorOptions.ProfileTokenLifetime"/>; a GET after expiry hands out a
/// fresh one. Whether the profile endpoints require it is <see cref="TargetEmulatorOptions.RequireAuthentication"/>.
/// </remarks>
internal sealed class TokenStore
{
    private readonly TargetEmulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _imsTokens = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private readonly string? _initialProfileToken;
    private string? _profileToken;
    private DateTimeOffset? _profileTokenExpiresAt;
    private long _imsCalls;
    private long _adminCalls;

    public TokenStore(TargetEmulatorOptions options)
    {
        _options = options;
        _time = options.TimeProvider;
        _initialProfileToken = ImsEnabled && options.ProfileTokenExists ? options.AuthorizationToken ?? NewToken("profile") : options.AuthorizationToken;
    }

    /// <summary>Gets whether the IMS flow is on (an IMS client id is configured).</summary>
    public bool ImsEnabled => _options.ImsClientId is not null;

    /// <summary>Gets whether the profile endpoints require the profile token ("Require Authentication" in the Target UI).</summary>
    public bool RequireAuthentication => _options.RequireAuthentication ?? (ImsEnabled || _options.AuthorizationToken is not null);

    public string? ClientId => _options.ImsClientId;

    public string Tenant => _options.Tenant ?? _options.ClientCode;

    public long ImsCalls => Interlocked.Read(ref _imsCalls);

    public long AdminCalls => Interlocked.Read(ref _adminCalls);

    public void CountImsCall() => Interlocked.Increment(ref _imsCalls);

    public void CountAdminCall() => Interlocked.Increment(ref _adminCalls);

    public void ResetCounters()
    {
        Interlocked.Exchange(ref _imsCalls, 0);
        Interlocked.Exchange(ref _adminCalls, 0);
    }

    public void Reset()
    {
        _imsTokens.Clear();
        Interlocked.Exchange(ref _imsCalls, 0);
        Interlocked.Exchange(ref _adminCalls, 0);
        lock (_gate)
        {
            _profileToken = _initialProfileToken;
            _profileTokenExpiresAt = _profileToken is null ? null
                : ImsEnabled ? _time.GetUtcNow() + _options.ProfileTokenLifetime
                : _time.GetUtcNow() + _options.AuthorizationTokenLifetime;
        }
    }

    /// <summary>Checks the client credentials and hands out an IMS access token.</summary>
    public bool TryIssueImsToken(string? clientId, string? clientSecret, out string token, out TimeSpan lifetime)
    {
        token = string.Empty;
        lifetime = _options.ImsTokenLifetime;
        if (!ImsEnabled
            || !FixedTimeEquals(clientId, _options.ImsClientId)
            || !FixedTimeEquals(clientSecret, _options.ImsClientSecret ?? string.Empty))
        {
            return false;
        }

        token = NewToken("ims");
        _imsTokens[token] = _time.GetUtcNow() + _options.ImsTokenLifetime;
        return true;
    }

    /// <summary>Whether <paramref name="token"/> is an IMS token this emulator issued and that has not expired.</summary>
    public bool IsValidImsToken(string token) =>
        _imsTokens.TryGetValue(token, out var expiresAt) && _time.GetUtcNow() < expiresAt;

    /// <summary>The current profile token, renewed first when it has expired; none when no token was ever generated.</summary>
    public (string Token, TimeSpan ExpiresIn)? CurrentProfileToken()
    {
        lock (_gate)
        {
            if (_profileToken is null)
            {
                return null;
            }

            var now = _time.GetUtcNow();
            if (_profileTokenExpiresAt is { } expiresAt && now >= expiresAt)
            {
                _profileToken = NewToken("profile");
                _profileTokenExpiresAt = now + _options.ProfileTokenLifetime;
            }

            return (_profileToken, (_profileTokenExpiresAt ?? now + _options.ProfileTokenLifetime) - now);
        }
    }

    /// <summary>The current profile token as it is, without renewal (none when none exists).</summary>
    public string? PeekProfileToken()
    {
        lock (_gate)
        {
            return _profileToken;
        }
    }

    /// <summary>Generates a new profile token; the previous one stops working at once.</summary>
    public (string Token, TimeSpan ExpiresIn) RotateProfileToken()
    {
        lock (_gate)
        {
            _profileToken = NewToken("profile");
            _profileTokenExpiresAt = _time.GetUtcNow() + _options.ProfileTokenLifetime;
            return (_profileToken, _options.ProfileTokenLifetime);
        }
    }

    /// <summary>Whether an <c>Authorization</c> header value may call the profile endpoints now.</summary>
    public bool IsAuthorized(string authorization)
    {
        if (!RequireAuthentication)
        {
            return true;
        }

        lock (_gate)
        {
            if (_profileToken is null)
            {
                return false;
            }

            if (_profileTokenExpiresAt is { } expiresAt && _time.GetUtcNow() >= expiresAt)
            {
                return false;
            }

            return Endpoints.ImsAuthorization.BearerToken(authorization) is { } token && FixedTimeEquals(token, _profileToken);
        }
    }

    private static bool FixedTimeEquals(string? actual, string? expected) =>
        actual is not null && expected is not null
        && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(actual), System.Text.Encoding.UTF8.GetBytes(expected));

    private static string NewToken(string kind) => "emulator-" + kind + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
}
