using System;
using System.Collections.Generic;
using System.Net;

namespace TargetProfileUpdate.Http;

/// <summary>
/// Finds every place of a text that decodes to a secret, whatever mix of encodings a server used to echo it:
/// raw; <c>%XX</c> (either case, UTF-8) and <c>%uXXXX</c>; <c>+</c> for space; JSON escapes (<c>\uXXXX</c> in either case,
/// surrogate pairs, <c>\/</c>, <c>\"</c>…); HTML/XML entities (<c>&amp;#233;</c>, <c>&amp;#xE9;</c>, named ones). Matching
/// ignores case, so an echo the server upper-cased is found too.
/// </summary>
/// <remarks>
/// Every position of the text reads as its raw character and, where an escape starts there, as what the escape decodes
/// to. A secret matches from a start position when some path through these readings spells it; the source range the path
/// covers is masked whole, so no escape is ever cut in two. The text is at most a few kilobytes (the start of a response
/// body) and this runs only on failures.
/// </remarks>
internal static class SecretScanner
{
    /// <summary>The longest escape that can be cut by the end of a read (<c>&amp;</c> + 32 characters + <c>;</c>).</summary>
    private const int MaxEscapeLength = 34;

    /// <summary>Bounds the search from one start position (ambiguous readings such as <c>%25</c> vs <c>%</c> branch).</summary>
    private const int MaxStepsPerStart = 4096;

    /// <summary>
    /// Returns, for each position of <paramref name="text"/>, whether it belongs to an occurrence of a secret.
    /// </summary>
    /// <param name="text">The text to search.</param>
    /// <param name="secrets">The secrets (already filtered for length).</param>
    /// <param name="mayBeCut">The text may be the start of a longer one: a secret's beginning that runs to (or into an
    /// escape cut by) the end of the text is masked too.</param>
    public static bool[] FindCovered(string text, IReadOnlyList<string> secrets, bool mayBeCut)
    {
        int n = text.Length;
        var covered = new bool[n];
        if (n == 0 || secrets.Count == 0)
        {
            return covered;
        }

        var raw = new char[n];
        var decoded = new Reading[n];
        for (int p = 0; p < n; p++)
        {
            raw[p] = Fold(text[p]);
            decoded[p] = Decode(text, p);
        }

        // Case-folded and without duplicates (many attributes may share a value).
        var unique = new HashSet<string>(StringComparer.Ordinal);
        foreach (string secret in secrets)
        {
            unique.Add(string.Create(secret.Length, secret, static (span, s) =>
            {
                for (int j = 0; j < s.Length; j++)
                {
                    span[j] = Fold(s[j]);
                }
            }));
        }

        var folded = new string[unique.Count];
        unique.CopyTo(folded);
        int coveredUntil = 0;

        var stack = new Stack<(int Position, int Matched)>();
        for (int start = 0; start < n; start++)
        {
            char first = raw[start];
            char firstDecoded = decoded[start].Length > 0 ? decoded[start].C0 : '\0';
            foreach (string secret in folded)
            {
                if (secret[0] != first && (decoded[start].Length == 0 || secret[0] != firstDecoded))
                {
                    continue;
                }

                int end = Match(raw, decoded, secret, start, mayBeCut, stack);
                for (int p = Math.Max(start, coveredUntil); p < end; p++)
                {
                    covered[p] = true;
                }

                coveredUntil = Math.Max(coveredUntil, end);
            }
        }

        return covered;
    }

    /// <summary>Returns the end of the longest occurrence of <paramref name="secret"/> starting at <paramref name="start"/>, or <paramref name="start"/> when there is none.</summary>
    private static int Match(char[] raw, Reading[] decoded, string secret, int start, bool mayBeCut, Stack<(int Position, int Matched)> stack)
    {
        int n = raw.Length;
        int end = start;
        int furthest = start;
        int steps = 0;
        stack.Clear();
        stack.Push((start, 0));
        while (stack.Count > 0)
        {
            var (p, k) = stack.Pop();
            furthest = Math.Max(furthest, p);
            if (k == secret.Length)
            {
                end = Math.Max(end, p);
                continue;
            }

            if (mayBeCut && k > 0 && n - p <= MaxEscapeLength)
            {
                // The rest of the secret may lie beyond the cut, or in an escape the cut left incomplete.
                end = n;
                continue;
            }

            if (p == n)
            {
                continue;
            }

            if (++steps > MaxStepsPerStart)
            {
                // Pathological input: mask all that was reached rather than search on.
                return Math.Max(end, Math.Min(n, furthest + MaxEscapeLength));
            }

            if (raw[p] == secret[k])
            {
                stack.Push((p + 1, k + 1));
            }

            var reading = decoded[p];
            if (reading.Length == 1 && reading.C0 == secret[k])
            {
                stack.Push((reading.Next, k + 1));
            }
            else if (reading.Length == 2 && k + 1 < secret.Length && reading.C0 == secret[k] && reading.C1 == secret[k + 1])
            {
                stack.Push((reading.Next, k + 2));
            }
        }

        return end;
    }

    private static char Fold(char c) => char.ToUpperInvariant(c);

    /// <summary>What the escape starting at <paramref name="p"/> decodes to (case-folded), or a reading of length 0.</summary>
    private static Reading Decode(string text, int p) => text[p] switch
    {
        '+' => new Reading(' ', p + 1),
        '%' => DecodePercent(text, p),
        '\\' => DecodeJson(text, p),
        '&' => DecodeEntity(text, p),
        _ => default,
    };

    private static Reading DecodePercent(string text, int p)
    {
        // %uXXXX (JavaScript's escape()).
        if (p + 5 < text.Length && (text[p + 1] | 0x20) == 'u' && TryHex(text.AsSpan(p + 2, 4), out int unit))
        {
            return new Reading(Fold((char)unit), p + 6);
        }

        // %XX…: one UTF-8 sequence, every byte percent-encoded.
        if (!TryByte(text, p, out int lead))
        {
            return default;
        }

        if (lead < 0x80)
        {
            return new Reading(Fold((char)lead), p + 3);
        }

        int count = lead switch
        {
            >= 0xC2 and <= 0xDF => 1,
            >= 0xE0 and <= 0xEF => 2,
            >= 0xF0 and <= 0xF4 => 3,
            _ => -1,
        };
        if (count < 0)
        {
            return default;
        }

        int scalar = lead & (0x3F >> count);
        int q = p + 3;
        for (int i = 0; i < count; i++, q += 3)
        {
            if (!TryByte(text, q, out int next) || (next & 0xC0) != 0x80)
            {
                return default;
            }

            scalar = (scalar << 6) | (next & 0x3F);
        }

        return FromScalar(scalar, q);
    }

    private static bool TryByte(string text, int p, out int value)
    {
        value = 0;
        return p + 2 < text.Length && text[p] == '%' && TryHex(text.AsSpan(p + 1, 2), out value);
    }

    private static Reading DecodeJson(string text, int p)
    {
        if (p + 1 >= text.Length)
        {
            return default;
        }

        char c = text[p + 1] switch
        {
            '"' => '"',
            '\\' => '\\',
            '/' => '/',
            '\'' => '\'',
            'b' => '\b',
            'f' => '\f',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            _ => '\0',
        };
        if (c != '\0')
        {
            return new Reading(c, p + 2);
        }

        // \uXXXX: one UTF-16 unit; a surrogate pair is two escapes, read one after the other.
        return text[p + 1] == 'u' && p + 5 < text.Length && TryHex(text.AsSpan(p + 2, 4), out int unit)
            ? new Reading(Fold((char)unit), p + 6)
            : default;
    }

    private static Reading DecodeEntity(string text, int p)
    {
        int limit = Math.Min(text.Length, p + MaxEscapeLength);
        int semicolon = -1;
        for (int i = p + 1; i < limit; i++)
        {
            char c = text[i];
            if (c == ';')
            {
                semicolon = i;
                break;
            }

            if (!char.IsAsciiLetterOrDigit(c) && c != '#')
            {
                return default;
            }
        }

        if (semicolon < p + 2)
        {
            return default;
        }

        var name = text.AsSpan(p + 1, semicolon - p - 1);
        if (name[0] == '#')
        {
            var digits = name[1..];
            bool hex = digits.Length > 0 && (digits[0] | 0x20) == 'x';
            if (hex)
            {
                digits = digits[1..];
            }

            if (digits.IsEmpty || digits.Length > 8)
            {
                return default;
            }

            int scalar = 0;
            foreach (char d in digits)
            {
                int v = hex ? HexValue(d) : char.IsAsciiDigit(d) ? d - '0' : -1;
                if (v < 0)
                {
                    return default;
                }

                scalar = (scalar * (hex ? 16 : 10)) + v;
            }

            return FromScalar(scalar, semicolon + 1);
        }

        // Named entities: XML's five in any case (servers differ), then HTML's through the framework's table.
        char known = name.Length switch
        {
            2 when name.Equals("lt", StringComparison.OrdinalIgnoreCase) => '<',
            2 when name.Equals("gt", StringComparison.OrdinalIgnoreCase) => '>',
            3 when name.Equals("amp", StringComparison.OrdinalIgnoreCase) => '&',
            4 when name.Equals("quot", StringComparison.OrdinalIgnoreCase) => '"',
            4 when name.Equals("apos", StringComparison.OrdinalIgnoreCase) => '\'',
            _ => '\0',
        };
        if (known != '\0')
        {
            return new Reading(known, semicolon + 1);
        }

        string entity = text.Substring(p, semicolon + 1 - p);
        string value = WebUtility.HtmlDecode(entity);
        return value.Length switch
        {
            1 when value != entity => new Reading(Fold(value[0]), semicolon + 1),
            2 when value != entity => new Reading(Fold(value[0]), Fold(value[1]), semicolon + 1),
            _ => default,
        };
    }

    private static Reading FromScalar(int scalar, int next)
    {
        if (scalar is < 0 or > 0x10FFFF || (scalar is >= 0xD800 and <= 0xDFFF) || scalar == 0)
        {
            return default;
        }

        if (scalar < 0x10000)
        {
            return new Reading(Fold((char)scalar), next);
        }

        scalar -= 0x10000;
        return new Reading((char)(0xD800 + (scalar >> 10)), (char)(0xDC00 + (scalar & 0x3FF)), next);
    }

    private static bool TryHex(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (char d in digits)
        {
            int v = HexValue(d);
            if (v < 0)
            {
                return false;
            }

            value = (value << 4) | v;
        }

        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>One or two (case-folded) UTF-16 units an escape decodes to, and where the text goes on after it.</summary>
    private readonly struct Reading
    {
        public Reading(char c0, int next)
        {
            C0 = c0;
            Length = 1;
            Next = next;
        }

        public Reading(char c0, char c1, int next)
        {
            C0 = c0;
            C1 = c1;
            Length = 2;
            Next = next;
        }

        public char C0 { get; }

        public char C1 { get; }

        public int Length { get; }

        public int Next { get; }
    }
}
