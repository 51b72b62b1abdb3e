using System;
using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace TargetProfileUpdate.Encoding;

/// <summary>
/// The SDK's one encoder: UTF-8 percent-encoding with the RFC 3986 unreserved characters
/// (<c>A-Z a-z 0-9 - . _ ~</c>) left as they are and everything else as <c>%XX</c> with uppercase
/// hex (space is <c>%20</c>, never <c>+</c>). The same bytes go into a query string and a form body.
/// </summary>
/// <remarks>
/// Inputs are validated UTF-16 (see <see cref="Utf16Validation"/>), so lengths are exact and the
/// writer never has to replace a character. Lengths are computed without allocating, which lets
/// the client choose GET or POST before it builds anything.
/// </remarks>
internal static class ProfileUpdateEncoder
{
    /// <summary>The separator and prefix written before each attribute name.</summary>
    public const string AttributePrefix = "&profile.";

    private const string Hex = "0123456789ABCDEF";

    /// <summary>Runs shorter than this are copied one character at a time.</summary>
    private const int ShortRun = 16;

    /// <summary>The RFC 3986 unreserved characters, for the vectorized search of runs that are copied as they are.</summary>
    private static readonly SearchValues<char> UnreservedChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~");

    /// <summary>
    /// The largest length the encoder reports: any longer text or form is reported as this. It is far over any size
    /// limit, so such an update is refused as too large, and it leaves room to add a URL's length without overflow.
    /// </summary>
    public const int MaxLength = int.MaxValue / 2;

    /// <summary>Adds two lengths, saturating at <see cref="MaxLength"/> (sizes are kept as attributes are set and must never wrap).</summary>
    public static int AddLengths(int a, int b) => (int)Math.Min((long)a + b, MaxLength);

    /// <summary>Returns whether an ASCII character is left as it is.</summary>
    public static bool IsUnreserved(char c) =>
        (uint)((c | 0x20) - 'a') <= 'z' - 'a' || (uint)(c - '0') <= 9 || c == '-' || c == '.' || c == '_' || c == '~';

    /// <summary>Returns the length of <paramref name="text"/> once percent-encoded (valid UTF-16 assumed), at most <see cref="MaxLength"/>.</summary>
    public static int GetEncodedLength(ReadOnlySpan<char> text)
    {
        // At most 9 bytes per UTF-16 unit: a long cannot overflow for any span.
        long length = 0;
        int i = 0;
        while (i < text.Length)
        {
            // A run of unreserved ASCII (vectorized search) is one byte per character.
            int run = text[i..].IndexOfAnyExcept(UnreservedChars);
            if (run < 0)
            {
                length += text.Length - i;
                break;
            }

            length += run;
            i += run;

            // Then the characters to escape, one by one, up to the next unreserved one.
            do
            {
                char c = text[i];
                if (c < 0x80)
                {
                    if (IsUnreserved(c))
                    {
                        break;
                    }

                    length += 3;
                }
                else if (c < 0x800)
                {
                    length += 6;
                }
                else if (char.IsHighSurrogate(c))
                {
                    length += 12;
                    i++;
                }
                else
                {
                    length += 9;
                }

                i++;
            }
            while (i < text.Length);
        }

        return (int)Math.Min(length, MaxLength);
    }

    /// <summary>Returns the length of the whole form (<c>id=…&amp;profile.name=value…</c>) of an update, at most <see cref="MaxLength"/>.</summary>
    public static int GetFormLength(ProfileUpdate update) =>
        AddLengths(update.Id.ParameterName.Length + 1 + update.Id.EncodedLength, update.EncodedAttributesLength);

    /// <summary>Writes the whole form of an update; <paramref name="destination"/> is exactly <see cref="GetFormLength"/> long.</summary>
    /// <typeparam name="T"><see cref="char"/> for a URL, <see cref="byte"/> for a body.</typeparam>
    public static int WriteForm<T>(ProfileUpdate update, Span<T> destination)
        where T : unmanaged, IBinaryInteger<T>
    {
        int pos = WriteAscii(update.Id.ParameterName, destination);
        destination[pos++] = T.CreateTruncating('=');
        pos += Write(update.Id.Value, destination[pos..]);

        foreach (var (name, value) in update.AttributeList)
        {
            pos += WriteAscii(AttributePrefix, destination[pos..]);
            pos += Write(name, destination[pos..]);
            destination[pos++] = T.CreateTruncating('=');
            pos += Write(value, destination[pos..]);
        }

        return pos;
    }

    /// <summary>Percent-encodes <paramref name="text"/> into <paramref name="destination"/> and returns the count written.</summary>
    public static int Write<T>(ReadOnlySpan<char> text, Span<T> destination)
        where T : unmanaged, IBinaryInteger<T>
    {
        int pos = 0;
        int i = 0;
        while (i < text.Length)
        {
            // A run of unreserved ASCII is copied as it is (vectorized search, then a bulk copy or narrowing).
            int run = text[i..].IndexOfAnyExcept(UnreservedChars);
            if (run < 0)
            {
                run = text.Length - i;
            }

            if (run >= ShortRun)
            {
                CopyAscii(text.Slice(i, run), destination[pos..]);
                pos += run;
                i += run;
            }
            else
            {
                // A short run (a word between two escapes): a plain loop is cheaper than a bulk copy's set-up.
                for (int end = i + run; i < end; i++)
                {
                    destination[pos++] = T.CreateTruncating(text[i]);
                }
            }

            // Then the characters to escape, one by one, up to the next unreserved one.
            while (i < text.Length)
            {
                uint c = text[i];
                if (c < 0x80)
                {
                    if (IsUnreserved((char)c))
                    {
                        break;
                    }

                    WriteEscaped(c, destination, ref pos);
                }
                else if (c < 0x800)
                {
                    WriteEscaped(0xC0 | (c >> 6), destination, ref pos);
                    WriteEscaped(0x80 | (c & 0x3F), destination, ref pos);
                }
                else if (char.IsHighSurrogate((char)c))
                {
                    uint scalar = 0x10000 + ((c - 0xD800) << 10) + (text[++i] - 0xDC00u);
                    WriteEscaped(0xF0 | (scalar >> 18), destination, ref pos);
                    WriteEscaped(0x80 | ((scalar >> 12) & 0x3F), destination, ref pos);
                    WriteEscaped(0x80 | ((scalar >> 6) & 0x3F), destination, ref pos);
                    WriteEscaped(0x80 | (scalar & 0x3F), destination, ref pos);
                }
                else
                {
                    WriteEscaped(0xE0 | (c >> 12), destination, ref pos);
                    WriteEscaped(0x80 | ((c >> 6) & 0x3F), destination, ref pos);
                    WriteEscaped(0x80 | (c & 0x3F), destination, ref pos);
                }

                i++;
            }
        }

        return pos;
    }

    /// <summary>Copies ASCII text that needs no escaping.</summary>
    public static int WriteAscii<T>(string ascii, Span<T> destination)
        where T : unmanaged, IBinaryInteger<T>
    {
        CopyAscii(ascii, destination);
        return ascii.Length;
    }

    /// <summary>Copies ASCII characters: a block copy for <see cref="char"/>, a vectorized narrowing for <see cref="byte"/>.</summary>
    private static void CopyAscii<T>(ReadOnlySpan<char> ascii, Span<T> destination)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (typeof(T) == typeof(char))
        {
            ascii.CopyTo(MemoryMarshal.Cast<T, char>(destination));
        }
        else if (typeof(T) == typeof(byte))
        {
            var bytes = MemoryMarshal.Cast<T, byte>(destination);
            if (Ascii.FromUtf16(ascii, bytes, out _) != OperationStatus.Done)
            {
                throw new ArgumentException("The text is not ASCII or the destination is too short.", nameof(destination));
            }
        }
        else
        {
            for (int i = 0; i < ascii.Length; i++)
            {
                destination[i] = T.CreateTruncating(ascii[i]);
            }
        }
    }

    private static void WriteEscaped<T>(uint octet, Span<T> destination, ref int pos)
        where T : unmanaged, IBinaryInteger<T>
    {
        destination[pos] = T.CreateTruncating('%');
        destination[pos + 1] = T.CreateTruncating(Hex[(int)(octet >> 4)]);
        destination[pos + 2] = T.CreateTruncating(Hex[(int)(octet & 0xF)]);
        pos += 3;
    }
}
