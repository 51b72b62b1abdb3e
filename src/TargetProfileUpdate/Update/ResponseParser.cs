using System;
using System.Text;

namespace TargetProfileUpdate.Http;

/// <summary>What a 2xx response body says.</summary>
internal enum ResponseVerdict
{
    /// <summary><c>true…</c> or <c>&lt;success&gt;true&lt;/success&gt;</c>.</summary>
    Accepted,

    /// <summary><c>false…</c> or <c>&lt;success&gt;false&lt;/success&gt;</c>.</summary>
    Rejected,

    /// <summary>Empty, HTML or anything else: never taken as success.</summary>
    Unrecognized,
}

/// <summary>
/// Parses the Single Profile Update API's answer: the text form <c>trueRequest successfully submitted</c>
/// and the legacy XML form <c>&lt;response&gt;&lt;success&gt;true&lt;/success&gt;…&lt;message&gt;…&lt;/message&gt;&lt;/response&gt;</c>
/// (the text form is the XML with its tags stripped).
/// </summary>
internal static class ResponseParser
{
    /// <summary>The documented success message; returned without allocating when the body carries it.</summary>
    public const string SuccessMessage = "Request successfully submitted";

    public static ResponseVerdict Parse(ReadOnlySpan<byte> body, out string message)
    {
        message = string.Empty;
        body = TrimStart(body);
        if (body.StartsWith("\uFEFF"u8))
        {
            body = TrimStart(body[3..]);
        }

        if (StartsWithIgnoreCase(body, "true"u8))
        {
            message = Text(body[4..].TrimEnd(" \t\r\n"u8));
            return ResponseVerdict.Accepted;
        }

        if (StartsWithIgnoreCase(body, "false"u8))
        {
            message = Text(body[5..].TrimEnd(" \t\r\n"u8));
            return ResponseVerdict.Rejected;
        }

        if (body.StartsWith("<"u8) && TryGetElement(body, "success"u8, out var success))
        {
            message = TryGetElement(body, "message"u8, out var m) ? Text(m) : string.Empty;
            success = success.Trim(" \t\r\n"u8);
            if (success.SequenceEqual("true"u8))
            {
                return ResponseVerdict.Accepted;
            }

            if (success.SequenceEqual("false"u8))
            {
                return ResponseVerdict.Rejected;
            }
        }

        return ResponseVerdict.Unrecognized;
    }

    private static ReadOnlySpan<byte> TrimStart(ReadOnlySpan<byte> span) => span.TrimStart(" \t\r\n"u8);

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> body, ReadOnlySpan<byte> ascii) =>
        body.Length >= ascii.Length && Ascii.EqualsIgnoreCase(body[..ascii.Length], ascii);

    private static string Text(ReadOnlySpan<byte> utf8) =>
        utf8.SequenceEqual("Request successfully submitted"u8) ? SuccessMessage : System.Text.Encoding.UTF8.GetString(utf8);

    /// <summary>Finds the content of the first <c>&lt;name&gt;…&lt;/name&gt;</c>; false for a self-closing or missing element.</summary>
    private static bool TryGetElement(ReadOnlySpan<byte> body, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> content)
    {
        content = default;
        Span<byte> open = stackalloc byte[name.Length + 2];
        open[0] = (byte)'<';
        name.CopyTo(open[1..]);
        open[^1] = (byte)'>';
        int start = body.IndexOf(open);
        if (start < 0)
        {
            return false;
        }

        var rest = body[(start + open.Length)..];
        int end = rest.IndexOf("</"u8);
        if (end < 0)
        {
            return false;
        }

        content = rest[..end];
        return true;
    }
}
