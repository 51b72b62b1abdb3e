using System;
using System.Threading;
using System.Threading.Tasks;
using TargetProfileUpdate.DependencyInjection;
using TargetProfileUpdate.Encoding;
using TargetProfileUpdate.Fetch;

namespace TargetProfileUpdate;

/// <summary>
/// Reads visitor profiles from Adobe Target's Profile Fetch API (<c>GET /rest/v1/profiles/…?client={clientCode}</c>).
/// Registered by <c>AddTargetProfileUpdate</c> for every account; sealed, immutable and thread-safe.
/// </summary>
/// <remarks>
/// Calls share the account's token provider and HTTP client, and are retried like updates (connection failures,
/// timeouts, 408/429/5xx), with a circuit breaker of their own; they do not use up the update quota. An answer larger
/// than 1 MiB is refused (a profile holds at most 64 KB of external data).
/// </remarks>
public sealed class ProfileFetchClient : IProfileFetchClient, IDisposable
{
    /// <summary>The largest answer read: 1 MiB.</summary>
    internal const int MaxAnswerBytes = 1024 * 1024;

    private static readonly UriCreationOptions NoCanonicalization = new() { DangerousDisablePathAndQueryCanonicalization = true };

    private readonly TargetAccount _account;
    private readonly string _profilesUrl;
    private readonly string _query;
    private readonly Microsoft.Extensions.DependencyInjection.ServiceProvider? _ownedServices;
    private int _disposed;

    /// <summary>
    /// Creates a client without DI, as <see cref="ProfileUpdateClient(TargetProfileUpdateOptions)"/> does: the same handler
    /// chain, token provider, limiters and resilience pipeline as the DI registration (built by the same code), owned by
    /// this client and disposed with it. Create one and reuse it.
    /// </summary>
    /// <param name="options">The options; validated now, exactly as DI validates them at start-up.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; the message names each field.</exception>
    public ProfileFetchClient(TargetProfileUpdateOptions options)
        : this(Standalone.Create(options, null, null, null))
    {
    }

    private ProfileFetchClient((TargetAccount Account, Microsoft.Extensions.DependencyInjection.ServiceProvider Services) standalone)
        : this(standalone.Account)
    {
        _ownedServices = standalone.Services;
    }

    internal ProfileFetchClient(TargetAccount account)
    {
        _account = account;
        _profilesUrl = account.BaseAddress.AbsoluteUri + "rest/v1/profiles/";
        _query = "?client=" + account.Options.ClientCode;
    }

    /// <inheritdoc />
    public Task<TargetProfile?> GetProfileAsync(ProfileId id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return cancellationToken.IsCancellationRequested
            ? Task.FromCanceled<TargetProfile?>(cancellationToken)
            : _account.FetchCall.SendAsync<ProfileFetchRequest, TargetProfile?>(new ProfileFetchRequest(id, BuildUri(id)), cancellationToken).AsTask();
    }

    /// <summary>The request URL: the id is one path segment, percent-encoded (UTF-8, RFC 3986 unreserved kept).</summary>
    internal Uri BuildUri(ProfileId id)
    {
        string prefix = _profilesUrl + id.Kind switch
        {
            ProfileIdKind.PcId => string.Empty,
            ProfileIdKind.ThirdPartyId => "thirdPartyId/",
            _ => "marketingCloudVisitorId/",
        };
        int length = prefix.Length + ProfileUpdateEncoder.GetEncodedLength(id.Value) + _query.Length;
        string url = string.Create(length, (Prefix: prefix, Id: id.Value, Query: _query), static (span, s) =>
        {
            s.Prefix.CopyTo(span);
            int written = ProfileUpdateEncoder.Write(s.Id.AsSpan(), span[s.Prefix.Length..]);
            s.Query.CopyTo(span[(s.Prefix.Length + written)..]);
        });
        return new Uri(url, NoCanonicalization);
    }

    /// <summary>Disposes what a client created without DI owns (its handlers, token provider and limiters); a client from
    /// DI owns nothing, and disposing it does nothing (the container disposes the account).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _ownedServices is not null)
        {
            _account.Dispose();
            _ownedServices.Dispose();
        }
    }
}
