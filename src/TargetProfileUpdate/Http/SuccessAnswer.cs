using System;
using System.Text;

namespace TargetProfileUpdate.Http;

/// <summary>What a 2xx response body says.</summary>
internal enum SuccessVerdict
{
    /// <summary><c>true…</c> or <c>&lt;success&gt;true&lt;/success&gt;</c>, exactly (case-sensitive).</summary>
    Accepted,

    /// <summary><c>false…</c> or <c>&lt;success&gt;false&lt;/success&gt;</c>, exactly (case-sensitive).</summary>
    Rejected,

    /// <summary>Empty, HTML, another casing (<c>TRUE…</c>), a contradiction (<c>trueFALSE</c>) or anything else: never taken as success.</summary>
    Unrecognized,
}

/// <summary>
/// Parses the Single Profile Update API's answer: the text form <c>trueRequest successfully submitted</c>
/// and the legacy XML form <c>&lt;response&gt;&lt;success&gt;true&lt;/success&gt;…&lt;message&gt;…&lt;/message&gt;&lt;/response&gt;</c>
/// (the text form is the XML with its tags stripped).
/// </summary>
internal static class SuccessAnswer
{
    /// <summary>The documented success message; returned without allocating when the body carries it.</summary>
    public const string SuccessMessage = "Request successfully submitted";

    public static SuccessVerdict Parse(ReadOnlySpan<byte> body, out string message)
    {
        message = string.Empty;
        body = TrimStart(body);
        if (body.StartsWith("\uFEFF"u8))
        {
            body = TrimStart(body[3..]);
        }

        // Exact and case-sensitive, as the documented body is: "TRUE…" is no answer, and neither is "trueFALSE".
        if (body.StartsWith("true"u8))
        {
            return TextForm(body[4..], SuccessVerdict.Accepted, out message);
        }

        if (body.StartsWith("false"u8))
        {
            return TextForm(body[5..], SuccessVerdict.Rejected, out message);
        }

        if (body.StartsWith("<"u8) && TryGetElement(body, "success"u8, out var success, out var afterSuccess))
        {
            // A second <success> element makes the answer ambiguous.
            if (TryGetElement(afterSuccess, "success"u8, out _, out _))
            {
                return SuccessVerdict.Unrecognized;
            }

            message = TryGetElement(body, "message"u8, out var m, out _) ? Text(m) : string.Empty;
            var verdict = Flag(success);
            if (verdict == SuccessVerdict.Unrecognized)
            {
                message = string.Empty;
            }

            return verdict;
        }

        return SuccessVerdict.Unrecognized;
    }

    /// <summary>
    /// The one rule for a <c>&lt;success&gt;</c> element's text, shared by the update and bulk answers: <c>true</c> or
    /// <c>false</c>, exactly and case-sensitively, around optional whitespace; anything else (<c>TRUE</c>, <c>yes</c>,
    /// empty) is no verdict.
    /// </summary>
    public static SuccessVerdict Flag(ReadOnlySpan<byte> text)
    {
        text = text.Trim(" \t\r\n"u8);
        return text.SequenceEqual("true"u8) ? SuccessVerdict.Accepted
            : text.SequenceEqual("false"u8) ? SuccessVerdict.Rejected
            : SuccessVerdict.Unrecognized;
    }

    /// <inheritdoc cref="Flag(ReadOnlySpan{byte})"/>
    public static SuccessVerdict Flag(string? text) =>
        text is null ? SuccessVerdict.Unrecognized : Flag(System.Text.Encoding.UTF8.GetBytes(text));

    private static SuccessVerdict TextForm(ReadOnlySpan<byte> rest, SuccessVerdict verdict, out string message)
    {
        // A second verdict word straight after the first ("trueFALSE", "falsetrue") contradicts or garbles the first.
        if (StartsWithIgnoreCase(rest, "true"u8) || StartsWithIgnoreCase(rest, "false"u8))
        {
            message = string.Empty;
            return SuccessVerdict.Unrecognized;
        }

        message = Text(rest.Trim(" \t\r\n"u8));
        return verdict;
    }

    private static ReadOnlySpan<byte> TrimStart(ReadOnlySpan<byte> span) => span.TrimStart(" \t\r\n"u8);

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> body, ReadOnlySpan<byte> ascii) =>
        body.Length >= ascii.Length && Ascii.EqualsIgnoreCase(body[..ascii.Length], ascii);

    private static string Text(ReadOnlySpan<byte> utf8) =>
        utf8.SequenceEqual("Request successfully submitted"u8) ? SuccessMessage : System.Text.Encoding.UTF8.GetString(utf8);

    /// <summary>Finds the content of the first <c>&lt;name&gt;…&lt;/name&gt;</c>; false for a self-closing or missing element.</summary>
    private static bool TryGetElement(ReadOnlySpan<byte> body, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> content, out ReadOnlySpan<byte> after)
    {
        content = default;
        after = default;
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
        after = rest[end..];
        return true;
    }
}
