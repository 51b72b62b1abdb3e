using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace TargetProfileUpdate.Http;

/// <summary>
/// What of a failing answer's body an exception may keep: an allow-list, not a scrubber (docs/adr/0004). A body is kept
/// only when it parses as one of the documented answer shapes, and then only as that shape's known code fields, rendered
/// as <c>name=value</c> pairs; free text (<c>message</c>, <c>error_description</c>, HTML, plain text) is never kept,
/// because a server may echo the profile id, a value or the token there in any encoding.
/// </summary>
/// <remarks>
/// The shapes: JSON objects (Adobe IMS <c>{error}</c>, the Admin API's <c>{httpStatus, requestId, errors[{errorCode}]}</c>,
/// the Profile Fetch API's <c>{status}</c>, Privacy Service <c>{requestStatus, responseMsgCode}</c>), the XML
/// <c>&lt;response&gt;</c> of the update and bulk APIs (<c>success</c>, <c>status</c>, <c>errorCode</c>), and the update
/// API's text form (<c>true…</c> / <c>false…</c>, kept as its verdict only). A kept value is a number, a boolean or a code
/// (letters, digits, <c>_ . : -</c>, at most 64 characters) that contains none of the request's secrets.
/// </remarks>
internal static class ResponseBodyRedactor
{
    /// <summary>The most characters a kept body has.</summary>
    public const int MaxLength = 512;

    private const int MaxCodeLength = 64;

    /// <summary>Values shorter than this identify no one, and a code may well contain them.</summary>
    private const int MinSecretLength = 3;

    /// <summary>A base64 fragment shorter than this is too common to say that a code carries a secret.</summary>
    private const int MinBase64Fragment = 4;

    /// <summary>The code fields of the documented answers; nothing else is ever kept.</summary>
    private static readonly FrozenSet<string> KnownFields = FrozenSet.ToFrozenSet(
    [
        "success", "status", "httpStatus", "error", "errorCode", "error_code", "code", "requestId", "requestStatus",
        "responseMsgCode", "batchId",
    ], StringComparer.Ordinal);

    /// <summary>Keeps the allow-listed fields of a profile update's answer; the update's id, its values and the token are its secrets.</summary>
    public static string? Redact(ReadOnlySpan<byte> body, ProfileUpdate update, string? token)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        var secrets = new List<string>(update.AttributeList.Count + 2) { update.Id.Value };
        foreach (var (_, value) in update.AttributeList)
        {
            secrets.Add(value);
        }

        if (token is not null)
        {
            secrets.Add(token);
        }

        return Keep(body, secrets);
    }

    /// <summary>Keeps the allow-listed fields of an answer against any secrets (ids, tokens, credentials); <see langword="null"/> entries are ignored.</summary>
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
                list.Add(secret);
            }
        }

        return Keep(body, list);
    }

    private static string? Keep(ReadOnlySpan<byte> body, List<string> secrets)
    {
        if (body.Length > AttemptFacts.DefaultMaxBodyBytes)
        {
            body = body[..AttemptFacts.DefaultMaxBodyBytes];
        }

        if (body.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }

        var trimmed = body.TrimStart(" \t\r\n"u8);
        var kept = new List<KeyValuePair<string, string>>();
        if (trimmed.StartsWith("{"u8))
        {
            ReadJson(trimmed, kept, secrets);
        }
        else if (trimmed.StartsWith("<"u8))
        {
            ReadXml(trimmed, kept, secrets);
        }
        else
        {
            // The update API's text form: only its verdict is known; the message after it is free text.
            switch (SuccessAnswer.Parse(trimmed, out _))
            {
                case SuccessVerdict.Accepted:
                    kept.Add(new("success", "true"));
                    break;
                case SuccessVerdict.Rejected:
                    kept.Add(new("success", "false"));
                    break;
            }
        }

        return Render(kept);
    }

    private static void ReadJson(ReadOnlySpan<byte> body, List<KeyValuePair<string, string>> kept, List<string> secrets)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
        try
        {
            string? name = null;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        name = reader.GetString();
                        continue;
                    case JsonTokenType.String when name is not null && KnownFields.Contains(name):
                        Add(kept, name, reader.GetString(), secrets);
                        break;
                    case JsonTokenType.Number when name is not null && KnownFields.Contains(name):
                        Add(kept, name, System.Text.Encoding.UTF8.GetString(reader.ValueSpan), secrets);
                        break;
                    case JsonTokenType.True or JsonTokenType.False when name is not null && KnownFields.Contains(name):
                        kept.Add(new(name, reader.TokenType == JsonTokenType.True ? "true" : "false"));
                        break;
                }

                name = null;
            }
        }
        catch (JsonException)
        {
            // A cut or broken document: what was read before the break is still the server's own code fields.
        }
    }

    private static void ReadXml(ReadOnlySpan<byte> body, List<KeyValuePair<string, string>> kept, List<string> secrets)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = AttemptFacts.DefaultMaxBodyBytes,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        try
        {
            using var stream = new MemoryStream(body.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, settings);
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && KnownFields.Contains(reader.LocalName) && !reader.IsEmptyElement)
                {
                    string name = reader.LocalName;
                    if (reader.Read() && reader.NodeType == XmlNodeType.Text)
                    {
                        Add(kept, name, reader.Value.Trim(), secrets);
                    }
                }
            }
        }
        catch (XmlException)
        {
            // As for JSON: a broken document keeps what was read before the break.
        }
    }

    private static void Add(List<KeyValuePair<string, string>> kept, string name, string? value, List<string> secrets)
    {
        if (value is null || value.Length is 0 or > MaxCodeLength || !IsCode(value))
        {
            return;
        }

        foreach (string secret in secrets)
        {
            if (secret.Length >= MinSecretLength && Carries(value, secret))
            {
                return;
            }
        }

        kept.Add(new(name, value));
    }

    /// <summary>
    /// Whether a code carries a secret as text, as the hex of its UTF-8 bytes (either case), or as base64 of them
    /// (standard or URL-safe, padded or not, at any of the three byte alignments it can have inside a longer encoded text).
    /// Percent- and entity-encoded forms need no check: '%' and '&amp;' are not code characters, and JSON and XML escapes
    /// are decoded by the readers.
    /// </summary>
    private static bool Carries(string value, string secret)
    {
        if (value.Contains(secret, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(secret);
        if (utf8.Length * 2 <= value.Length && value.Contains(Convert.ToHexString(utf8), StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        for (int offset = 0; offset < 3; offset++)
        {
            byte[] shifted = new byte[offset + utf8.Length];
            utf8.CopyTo(shifted, offset);
            string base64 = Convert.ToBase64String(shifted);

            // Only the characters made of the secret's bits alone: the first ones also hold the bytes before it, the last
            // ones the bytes after it (or the padding).
            int first = ((8 * offset) + 5) / 6;
            int end = 8 * (offset + utf8.Length) / 6;
            if (end - first < MinBase64Fragment)
            {
                continue;
            }

            string fragment = base64[first..end];
            if (value.Contains(fragment, StringComparison.Ordinal)
                || value.Contains(fragment.Replace('+', '-').Replace('/', '_'), StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsCode(string value)
    {
        foreach (char c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or ':' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static string? Render(List<KeyValuePair<string, string>> kept)
    {
        if (kept.Count == 0)
        {
            return null;
        }

        var builder = new StringBuilder();
        foreach (var (name, value) in kept)
        {
            string pair = (builder.Length == 0 ? string.Empty : ", ") + name + "=" + value;
            if (builder.Length + pair.Length > MaxLength)
            {
                break;
            }

            builder.Append(pair);
        }

        return builder.Length == 0 ? null : builder.ToString();
    }
}
