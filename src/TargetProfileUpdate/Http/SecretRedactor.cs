using System;
using System.Text;

namespace TargetProfileUpdate.Http;

/// <summary>Redacts a response body of a call whose secrets are plain strings (tokens, credentials, ids).</summary>
internal static class SecretRedactor
{
    public static string? Redact(ReadOnlySpan<byte> body, params string?[] secrets)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        int take = Math.Min(body.Length, ResponseBodyRedactor.MaxLength * 4);
        var builder = new StringBuilder(System.Text.Encoding.UTF8.GetString(body[..take]));
        foreach (string? secret in secrets)
        {
            if (secret is { Length: >= 3 })
            {
                builder.Replace(secret, "***");
                builder.Replace(Uri.EscapeDataString(secret), "***");
            }
        }

        if (builder.Length > ResponseBodyRedactor.MaxLength)
        {
            builder.Length = ResponseBodyRedactor.MaxLength;
            builder.Append('…');
        }

        return builder.ToString();
    }
}
