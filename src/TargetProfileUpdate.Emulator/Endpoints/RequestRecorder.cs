using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using TargetProfileUpdate.Emulator.State;

namespace TargetProfileUpdate.Emulator.Endpoints;

/// <summary>
/// Records requests as received (raw target, raw body) with every credential redacted: headers are kept in clear only when
/// on an allow-list (the rest read <c>***</c>; <c>Authorization</c> keeps its scheme), and credential-bearing query parameters
/// and form fields read <c>name=***</c>.
/// </summary>
internal static class RequestRecorder
{
    /// <summary>What replaces a redacted value.</summary>
    public const string Redacted = "***";

    /// <summary>Headers recorded in clear: none of them carries a credential.</summary>
    private static readonly FrozenSet<string> SafeHeaders = new[]
    {
        "Host", "Accept", "Accept-Charset", "Accept-Encoding", "Accept-Language", "Cache-Control", "Connection", "Content-Encoding",
        "Content-Length", "Content-Type", "Expect", "Pragma", "TE", "Transfer-Encoding", "Upgrade", "User-Agent", "Max-Forwards",
        "traceparent", "tracestate", "Request-Id", "X-Request-Id", "x-gw-ims-org-id", "x-sandbox-name",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Headers whose scheme is kept (<c>Bearer ***</c>).</summary>
    private static readonly FrozenSet<string> AuthorizationHeaders = new[] { "Authorization", "Proxy-Authorization" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Query parameters and form fields that carry a credential.</summary>
    private static readonly FrozenSet<string> CredentialParameters = new[]
    {
        "access_token", "token", "id_token", "refresh_token", "client_secret", "client_id", "api_key", "apikey", "x-api-key",
        "password", "secret", "code", "assertion", "authorization", "jwt_token", "signature", "sig",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static string RawTarget(HttpContext context) =>
        context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw ? raw : context.Request.Path + context.Request.QueryString;

    public static void Record(EmulatorState state, HttpContext context, string rawBody, int status, string outcome, IReadOnlyList<string>? notes = null)
    {
        context.Items[EmulatorPipeline.RecordedKey] = true;
        string target = RawTarget(context);
        int q = target.IndexOf('?', StringComparison.Ordinal);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in context.Request.Headers)
        {
            headers[name] = SafeHeaders.Contains(name) ? values.ToString()
                : AuthorizationHeaders.Contains(name) ? RedactScheme(values.ToString())
                : Redacted;
        }

        bool form = context.Request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) ?? false;
        state.Record(new RecordedRequest(
            state.NextSequence(),
            state.Now,
            context.Request.Method,
            q < 0 ? target : target[..q],
            q < 0 ? string.Empty : RedactParameters(target[(q + 1)..]),
            form ? RedactParameters(rawBody) : rawBody,
            headers,
            status,
            outcome)
        {
            Notes = notes ?? [],
        });
    }

    /// <summary>Replaces the value of every credential parameter of <c>a=b&amp;c=d</c> with <c>***</c>, keeping the rest byte for byte.</summary>
    public static string RedactParameters(string encoded)
    {
        if (encoded.Length == 0 || encoded.StartsWith('('))
        {
            return encoded;
        }

        var result = new StringBuilder(encoded.Length);
        foreach (string pair in encoded.Split('&'))
        {
            if (result.Length > 0)
            {
                result.Append('&');
            }

            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            string name = eq < 0 ? pair : pair[..eq];
            result.Append(eq >= 0 && CredentialParameters.Contains(DecodeName(name)) ? name + "=" + Redacted : pair);
        }

        return result.ToString();
    }

    private static string DecodeName(string name)
    {
        try
        {
            return Uri.UnescapeDataString(name.Replace('+', ' ')).Trim();
        }
        catch (UriFormatException)
        {
            return name;
        }
    }

    private static string RedactScheme(string value)
    {
        string trimmed = value.TrimStart();
        int space = trimmed.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? Redacted : trimmed[..(space + 1)] + Redacted;
    }
}
