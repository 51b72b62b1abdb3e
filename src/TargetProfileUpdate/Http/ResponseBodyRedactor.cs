using System;
using System.Collections.Generic;
using System.Text;

namespace TargetProfileUpdate.Http;

/// <summary>
/// Makes a response body safe to keep in an exception: at most <see cref="MaxLength"/> characters, with every echo of
/// the profile id, an attribute value or the token replaced by <c>***</c> (servers echo ids in error pages), in whatever
/// encoding the server used (see <see cref="SecretScanner"/>).
/// </summary>
/// <remarks>
/// The whole body the client read (at most <see cref="AttemptFacts.DefaultMaxBodyBytes"/>) is decoded and
/// masked before it is shortened, so the limit can never cut a secret and leave its beginning. When the body may have
/// been cut by the read limit, a secret's beginning at its very end is masked too.
/// </remarks>
internal static class ResponseBodyRedactor
{
    public const int MaxLength = 512;

    private const string Mask = "***";

    /// <summary>Values shorter than this are left alone: replacing "0" everywhere would destroy the text, and they identify no one.</summary>
    private const int MinSecretLength = 3;

    public static string? Redact(ReadOnlySpan<byte> body, ProfileUpdate update, string? token)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        var secrets = new List<string>(update.AttributeList.Count + 2);
        AddSecret(secrets, update.Id.Value);
        foreach (var (_, value) in update.AttributeList)
        {
            AddSecret(secrets, value);
        }

        if (token is not null)
        {
            AddSecret(secrets, token);
        }

        return Redact(body, secrets);
    }

    /// <summary>Redacts a body against any secrets (ids, tokens, credentials); <see langword="null"/> entries are ignored.</summary>
    public static string? Redact(ReadOnlySpan<byte> body, params string?[] secrets)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        var list = new List<string>(secrets.Length);
        foreach (string? secret in secrets)
        {
            if (secret is not null)
            {
                AddSecret(list, secret);
            }
        }

        return Redact(body, list);
    }

    private static string? Redact(ReadOnlySpan<byte> body, List<string> secrets)
    {

        bool mayBeCut = body.Length >= AttemptFacts.DefaultMaxBodyBytes;
        if (mayBeCut)
        {
            body = body[..AttemptFacts.DefaultMaxBodyBytes];
        }

        string text = System.Text.Encoding.UTF8.GetString(body);
        bool[] covered = SecretScanner.FindCovered(text, secrets, mayBeCut);

        var builder = new StringBuilder(Math.Min(text.Length, MaxLength + 1));
        for (int i = 0; i < text.Length && builder.Length <= MaxLength; i++)
        {
            if (!covered[i])
            {
                builder.Append(text[i]);
            }
            else if (i == 0 || !covered[i - 1])
            {
                builder.Append(Mask);
            }
        }

        if (builder.Length > MaxLength)
        {
            // Never leave half of a surrogate pair at the cut.
            builder.Length = char.IsHighSurrogate(builder[MaxLength - 1]) ? MaxLength - 1 : MaxLength;
            builder.Append('…');
        }

        return builder.ToString();
    }

    private static void AddSecret(List<string> secrets, string secret)
    {
        if (secret.Length >= MinSecretLength)
        {
            secrets.Add(secret);
        }
    }
}
