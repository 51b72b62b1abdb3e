using System;

namespace TargetProfileUpdate.Configuration;

/// <summary>An endpoint address as the options' <c>ToString()</c> shows it (safe to log): scheme, host, port and path; user
/// info and a query are replaced by <c>***</c>, so a password or a secret parameter put in a URL is never printed.</summary>
internal static class LoggableUri
{
    /// <summary>The address without its user info and query values, or <c>(none)</c>.</summary>
    public static string Describe(Uri? uri)
    {
        if (uri is null)
        {
            return "(none)";
        }

        if (!uri.IsAbsoluteUri)
        {
            // A relative address is refused by validation; it has no user info, but it may still carry a query.
            string text = uri.OriginalString;
            int query = text.AsSpan().IndexOfAny('?', '#');
            return query < 0 ? text : text[..query] + "?***";
        }

        string shown = uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        if (uri.UserInfo.Length > 0)
        {
            int authority = uri.Scheme.Length + Uri.SchemeDelimiter.Length;
            shown = string.Concat(shown.AsSpan(0, authority), "***@", shown.AsSpan(authority));
        }

        return uri.Query.Length > 0 || uri.Fragment.Length > 0 ? shown + "?***" : shown;
    }
}
