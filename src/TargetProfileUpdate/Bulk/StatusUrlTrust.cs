using System;

namespace TargetProfileUpdate.Bulk;

/// <summary>
/// Decides whether the profile API's bearer token may follow a batch status URL. The URL comes from the server's answer
/// and names a specific edge host (<c>mboxedgeNN.tt.omtrdc.net</c>), so it is trusted only when it points at Adobe Target's
/// edge over https, or at exactly the configured base address (the emulator, a proxy you chose).
/// </summary>
internal static class StatusUrlTrust
{
    /// <summary>The domain of Adobe Target's edge hosts; a status URL must be on a subdomain of it.</summary>
    public const string EdgeDomainSuffix = ".tt.omtrdc.net";

    /// <summary>
    /// Returns the URL to request for the batch's status: the status URL with <c>showDetails=true</c> appended, unchanged
    /// otherwise. Adobe documents status URLs as <c>http://mboxedgeNN.tt.omtrdc.net/…</c>: such a URL on Adobe's edge with
    /// the default port is requested over https instead (same host, path and query), so the token never travels in clear
    /// text.
    /// </summary>
    /// <param name="statusUrl">The status URL as the server returned it.</param>
    /// <param name="baseAddress">The configured base address, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="statusUrl"/> is <see langword="null"/>.</exception>
    /// <exception cref="ProfileApiException">The URL is not trusted. The message names its scheme, host and port, never its
    /// path or query.</exception>
    public static Uri GetTrustedStatusRequestUri(Uri statusUrl, Uri? baseAddress)
    {
        ArgumentNullException.ThrowIfNull(statusUrl);
        if (!statusUrl.IsAbsoluteUri)
        {
            throw new ProfileApiException("The batch status URL is not absolute; the bearer token is not sent to it.");
        }

        string text = statusUrl.OriginalString;
        if (statusUrl.UserInfo.Length == 0 && !string.IsNullOrEmpty(statusUrl.Host))
        {
            if (IsSameOrigin(statusUrl, baseAddress))
            {
                return new Uri(WithShowDetails(text));
            }

            if (IsEdgeHost(statusUrl.IdnHost))
            {
                if (statusUrl.Scheme == Uri.UriSchemeHttps)
                {
                    return new Uri(WithShowDetails(text));
                }

                if (statusUrl.Scheme == Uri.UriSchemeHttp && statusUrl.IsDefaultPort && text.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
                {
                    return new Uri(WithShowDetails("https://" + text["http://".Length..]));
                }
            }
        }

        throw new ProfileApiException(
            "The batch status URL points at " + Origin(statusUrl) + ", which is not trusted with the profile API's bearer token: "
            + "it is sent only to https://*" + EdgeDomainSuffix + " (Adobe Target's edge) or to the configured BaseAddress origin. "
            + "No status request was made.");
    }

    /// <summary>Appends <c>showDetails=true</c> to a URL's query without re-encoding anything: <c>&amp;</c> when it has a
    /// query, <c>?</c> otherwise, nothing when it already carries <c>showDetails</c>.</summary>
    public static string WithShowDetails(string url)
    {
        int fragment = url.IndexOf('#', StringComparison.Ordinal);
        string head = fragment >= 0 ? url[..fragment] : url;
        string tail = fragment >= 0 ? url[fragment..] : string.Empty;
        int query = head.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            foreach (string pair in head[(query + 1)..].Split('&'))
            {
                if (pair.StartsWith("showDetails=", StringComparison.Ordinal) || pair == "showDetails")
                {
                    return url;
                }
            }
        }

        string separator = query < 0 ? "?" : head.EndsWith('?') || head.EndsWith('&') ? string.Empty : "&";
        return head + separator + "showDetails=true" + tail;
    }

    private static bool IsEdgeHost(string host) =>
        host.Length > EdgeDomainSuffix.Length
        && host.EndsWith(EdgeDomainSuffix, StringComparison.OrdinalIgnoreCase)
        && host[^(EdgeDomainSuffix.Length + 1)] != '.';

    private static bool IsSameOrigin(Uri url, Uri? baseAddress) =>
        baseAddress is { IsAbsoluteUri: true }
        && string.Equals(url.Scheme, baseAddress.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(url.IdnHost, baseAddress.IdnHost, StringComparison.OrdinalIgnoreCase)
        && url.Port == baseAddress.Port;

    private static string Origin(Uri url) =>
        url.Scheme + "://" + url.IdnHost + (url.IsDefaultPort ? string.Empty : ":" + url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
