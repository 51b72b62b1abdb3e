using System;
using System.Text;

namespace TargetProfileUpdate.Http;

/// <summary>
/// Makes a response body safe to keep in an exception: at most <see cref="MaxLength"/> characters, with the
/// profile id, the attribute values and the token replaced by <c>***</c> (servers echo ids in error pages).
/// </summary>
internal static class ResponseBodyRedactor
{
    public const int MaxLength = 512;

    /// <summary>Values shorter than this are left alone: replacing "0" everywhere would destroy the text, and they identify no one.</summary>
    private const int MinSecretLength = 3;

    public static string? Redact(ReadOnlySpan<byte> body, ProfileUpdate update, string? token)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        // Decode a little more than kept, so a secret cut by the limit is still found whole.
        int take = Math.Min(body.Length, MaxLength * 4);
        string text = System.Text.Encoding.UTF8.GetString(body[..take]);
        var builder = new StringBuilder(text);
        Replace(builder, update.Id.Value);
        Replace(builder, Uri.EscapeDataString(update.Id.Value));
        foreach (var (_, value) in update.AttributeList)
        {
            Replace(builder, value);
            Replace(builder, Uri.EscapeDataString(value));
        }

        if (token is not null)
        {
            Replace(builder, token);
        }

        if (builder.Length > MaxLength)
        {
            builder.Length = MaxLength;
            builder.Append('…');
        }

        return builder.ToString();
    }

    private static void Replace(StringBuilder builder, string secret)
    {
        if (secret.Length >= MinSecretLength)
        {
            builder.Replace(secret, "***");
        }
    }
}
