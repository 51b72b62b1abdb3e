using System;
using System.Globalization;

namespace TargetProfileUpdate.Encoding;

/// <summary>Rejects strings that UTF-8 cannot represent (lone or reversed surrogates) instead of sending U+FFFD.</summary>
internal static class Utf16Validation
{
    /// <summary>Returns the index of the first unpaired surrogate, or -1 when the string is well-formed UTF-16.</summary>
    public static int IndexOfInvalid(ReadOnlySpan<char> text)
    {
        int i = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (i < 0)
        {
            return -1;
        }

        for (; i < text.Length; i++)
        {
            char c = text[i];
            if (!char.IsSurrogate(c))
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            return i;
        }

        return -1;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming <paramref name="paramName"/> when the text is not valid UTF-16.</summary>
    /// <param name="text">The text to check; its content never appears in the message.</param>
    /// <param name="paramName">The parameter to name.</param>
    /// <param name="what">What the text is, for the message (for example "The profile id").</param>
    public static void ThrowIfInvalid(string text, string paramName, string what)
    {
        int index = IndexOfInvalid(text);
        if (index >= 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{what} is not valid UTF-16: an unpaired surrogate at index {index} cannot be encoded as UTF-8."),
                paramName);
        }
    }
}
