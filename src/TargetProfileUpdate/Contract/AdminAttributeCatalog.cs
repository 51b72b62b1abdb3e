using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using TargetProfileUpdate.Configuration;
using TargetProfileUpdate.DependencyInjection;

namespace TargetProfileUpdate.Contract;

/// <summary>
/// <see cref="IProfileAttributeCatalog"/> served by the Target Admin API: <c>GET {AdminApiBaseAddress}{tenant}/target/profileattributes/mbox</c>
/// with the account's IMS token (<c>Authorization: Bearer</c>, <c>X-Api-Key</c>, <c>Accept: application/vnd.adobe.target.v1+json</c>),
/// one <see cref="AttributeCatalogRequest"/> through the account's catalog call (its retries, its circuit breaker, the 50 calls
/// per minute the admin and bulk APIs share, and one fresh IMS token and one resend after a 401/403).
/// The names are cached for <see cref="TargetProfileUpdateOptions.AttributeCatalogCacheDuration"/> on the account's clock;
/// a refresh is single-flight, and a failed call is not cached.
/// </summary>
/// <remarks>
/// The answer's shape is inferred (PROTOCOL.md): <c>{"mboxProfileAttributes": ["a", …]}</c> in Adobe's sample, read as
/// <c>mboxParameters</c> by public clients. It is read leniently: those two members first, then any array anywhere in the
/// answer; an array item is a name when it is a string, or an object with a <c>name</c>. An answer with no names is an
/// empty catalog (the linter then skips the catalog rule), never an error.
/// </remarks>
internal sealed class AdminAttributeCatalog : IProfileAttributeCatalog, IDisposable
{
    /// <summary>The largest answer read: 4 MiB (a tenant with tens of thousands of attributes).</summary>
    public const int MaxAnswerBytes = 4 * 1024 * 1024;

    private readonly TargetAccount _account;
    private readonly ILogger _logger;
    private readonly Uri _uri;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile Cached? _cached;

    public AdminAttributeCatalog(TargetAccount account)
    {
        _account = account;
        _logger = account.LoggerFactory.CreateLogger<AdminAttributeCatalog>();
        var ims = account.Options.AdobeIms;
        string adminBase = ims.AdminApiBaseAddress.AbsoluteUri;
        _uri = new Uri((adminBase.EndsWith('/') ? adminBase : adminBase + "/") + Uri.EscapeDataString(ims.Tenant ?? string.Empty) + "/target/profileattributes/mbox");
    }

    public async Task<IReadOnlySet<string>> GetAttributeNamesAsync(CancellationToken cancellationToken = default)
    {
        var cached = _cached;
        if (cached is not null && _account.Time.GetUtcNow() < cached.ExpiresAt)
        {
            return cached.Names;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            cached = _cached;
            if (cached is not null && _account.Time.GetUtcNow() < cached.ExpiresAt)
            {
                return cached.Names;
            }

            var call = _account.CatalogCall ?? throw new InvalidOperationException(
                "The attribute catalog is read from the Target Admin API, which needs the account's Adobe IMS credentials: set "
                + OptionKeys.AdobeIms + "ClientId, ClientSecret, Scopes and Tenant (an OAuth Server-to-Server credential with the Adobe Target API). Nothing was sent.");
            var ims = _account.Options.AdobeIms;
            var answer = await call.SendAsync<AttributeCatalogRequest, AttributeCatalogAnswer>(
                new AttributeCatalogRequest(_uri, ims.ClientId ?? string.Empty, ims.ClientSecret), cancellationToken).ConfigureAwait(false);
            LintLog.CatalogLoaded(_logger, answer.Names.Count, answer.Shape);
            _cached = new Cached(answer.Names, _account.Time.GetUtcNow() + _account.Options.AttributeCatalogCacheDuration);
            return answer.Names;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>The names in an answer, and which shape gave them (for the debug log): lenient, never throws.</summary>
    internal static (IReadOnlySet<string> Names, string Shape) Parse(ReadOnlySpan<byte> body)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 16 });
        }
        catch (JsonException)
        {
            return (names, "not JSON");
        }

        using (document)
        {
            var root = document.RootElement;
            foreach (string known in (ReadOnlySpan<string>)["mboxProfileAttributes", "mboxParameters"])
            {
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty(known, out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    AddItems(list, names);
                    return (names, known);
                }
            }

            Collect(root, names, 0);
            return (names, names.Count > 0 ? "other arrays" : "unknown");
        }
    }

    private static void Collect(JsonElement element, HashSet<string> names, int depth)
    {
        if (depth > 8)
        {
            return;
        }

        if (element.ValueKind == JsonValueKind.Array)
        {
            AddItems(element, names);
        }

        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                Collect(property.Value, names, depth + 1);
            }
        }
    }

    private static void AddItems(JsonElement array, HashSet<string> names)
    {
        foreach (var item in array.EnumerateArray())
        {
            string? name = item.ValueKind switch
            {
                JsonValueKind.String => item.GetString(),
                JsonValueKind.Object when item.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String => n.GetString(),
                _ => null,
            };
            if (!string.IsNullOrWhiteSpace(name))
            {
                names.Add(name.StartsWith(ProfileAttributeRules.ProfilePrefix, StringComparison.Ordinal) ? name[ProfileAttributeRules.ProfilePrefix.Length..] : name);
            }
        }
    }

    public void Dispose() => _refresh.Dispose();

    private sealed record Cached(IReadOnlySet<string> Names, DateTimeOffset ExpiresAt);
}
