using System.Text;
using TargetProfileUpdate.Encoding;

namespace TargetProfileUpdate.Tests.Encoding;

/// <summary>Property tests over seeded random Unicode: deterministic, so a failure reproduces.</summary>
public sealed class EncoderPropertyTests
{
    [Fact]
    public void Write_RandomValidUnicode_RoundTripsAndUsesOnlyUnreservedAndPercentHex()
    {
        var random = new Random(20261123);
        for (int n = 0; n < 5000; n++)
        {
            string text = RandomText(random, random.Next(0, 40));
            int length = ProfileUpdateEncoder.GetEncodedLength(text);
            var chars = new char[length];
            var bytes = new byte[length];

            Assert.Equal(length, ProfileUpdateEncoder.Write(text, chars.AsSpan()));
            Assert.Equal(length, ProfileUpdateEncoder.Write(text, bytes.AsSpan()));
            string encoded = new(chars);

            Assert.Equal(text, Uri.UnescapeDataString(encoded));
            Assert.Equal(Uri.EscapeDataString(text), encoded);
            Assert.Equal(encoded, System.Text.Encoding.ASCII.GetString(bytes));
            for (int i = 0; i < encoded.Length; i++)
            {
                char c = encoded[i];
                if (c == '%')
                {
                    Assert.True(IsUpperHex(encoded[i + 1]) && IsUpperHex(encoded[i + 2]), encoded);
                    i += 2;
                }
                else
                {
                    Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~', encoded);
                }
            }
        }
    }

    [Fact]
    public void Validation_UnpairedSurrogates_AreFound()
    {
        string[] invalid = ["\uD800", "a\uDC00b", "\uDC00\uD800", "end\uD83D", "\uD83D\uD83D\uDE00"];

        Assert.All(invalid, text => Assert.True(Utf16Validation.IndexOfInvalid(text) >= 0));
    }

    [Fact]
    public void Validation_PairedSurrogates_AreValid()
    {
        Assert.Equal(-1, Utf16Validation.IndexOfInvalid("x😀y\U0010FFFF"));
    }

    private static bool IsUpperHex(char c) => char.IsAsciiDigit(c) || c is >= 'A' and <= 'F';

    private static string RandomText(Random random, int runes)
    {
        var builder = new StringBuilder();
        for (int i = 0; i < runes; i++)
        {
            int bucket = random.Next(4);
            int scalar = bucket switch
            {
                0 => random.Next(0, 0x80),
                1 => random.Next(0x80, 0x800),
                2 => random.Next(0x800, 0x10000),
                _ => random.Next(0x10000, 0x110000),
            };
            if (scalar is >= 0xD800 and <= 0xDFFF)
            {
                scalar = 'x';
            }

            builder.Append(new Rune(scalar).ToString());
        }

        return builder.ToString();
    }
}
