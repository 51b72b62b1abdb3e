using System.Text;
using TargetProfileUpdate.Encoding;
using TargetProfileUpdate.Tests.Bulk;

namespace TargetProfileUpdate.Tests.Encoding;

/// <summary>
/// The vectorized encoder (runs of unreserved ASCII found with <c>IndexOfAnyExcept</c> and copied in bulk) and the bulk
/// batcher's shortcuts (cached name lengths, values' length from the update, previous row's columns) against
/// straightforward reference implementations, on seeded random Unicode with long ASCII runs (so every vector width and
/// every run/escape boundary is crossed). Deterministic, so a failure reproduces.
/// </summary>
public sealed class EncoderReferenceTests
{
    private const string UnreservedSet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    private const string ReservedAscii = " !\"#$%&'()*+,/:;<=>?@[\\]^`{|}\t\n\r\0\u007F";

    [Trait("Category", "Slow")]
    [Fact]
    public void Write_RandomUnicodeWithLongAsciiRuns_IsByteForByteTheReferenceEncoder()
    {
        var random = new Random(20261125);
        for (int n = 0; n < 4000; n++)
        {
            string text = RandomMixedText(random, random.Next(0, 12));
            string expected = ReferenceEncode(text);
            int length = ProfileUpdateEncoder.GetEncodedLength(text);
            Assert.Equal(expected.Length, length);

            // Written at an offset, with sentinels around, so a write outside the exact range would show.
            int offset = random.Next(0, 5);
            var chars = new char[offset + length + 8];
            var bytes = new byte[offset + length + 8];
            chars.AsSpan().Fill('!');
            bytes.AsSpan().Fill((byte)'!');

            Assert.Equal(length, ProfileUpdateEncoder.Write(text, chars.AsSpan(offset, length)));
            Assert.Equal(length, ProfileUpdateEncoder.Write(text, bytes.AsSpan(offset, length)));

            Assert.Equal(new string('!', offset) + expected + new string('!', 8), new string(chars));
            Assert.Equal(System.Text.Encoding.ASCII.GetBytes(new string('!', offset) + expected + new string('!', 8)), bytes);
        }
    }

    [Fact]
    public void Write_EveryBmpCharacterAndSomeSupplementary_IsTheReferenceEncoder()
    {
        var all = new StringBuilder();
        for (int c = 0; c < 0x10000; c++)
        {
            if (!char.IsSurrogate((char)c))
            {
                all.Append((char)c);
            }
        }

        all.Append("😀\U0010FFFF\U00010000");
        string text = all.ToString();
        string expected = ReferenceEncode(text);
        var bytes = new byte[ProfileUpdateEncoder.GetEncodedLength(text)];

        Assert.Equal(expected.Length, bytes.Length);
        Assert.Equal(bytes.Length, ProfileUpdateEncoder.Write(text, bytes.AsSpan()));
        Assert.Equal(expected, System.Text.Encoding.ASCII.GetString(bytes));
    }

    [Fact]
    public void LoneSurrogates_InRandomText_AreStillRejectedBeforeAnythingIsEncoded()
    {
        var random = new Random(7);
        for (int n = 0; n < 500; n++)
        {
            string valid = RandomMixedText(random, random.Next(0, 6));
            char lone = random.Next(2) == 0 ? (char)random.Next(0xD800, 0xDC00) : (char)random.Next(0xDC00, 0xE000);
            int at = random.Next(0, valid.Length + 1);
            while (at > 0 && at < valid.Length && char.IsLowSurrogate(valid[at]))
            {
                at--;
            }

            string invalid = valid.Insert(at, lone.ToString());
            if (Utf16Validation.IndexOfInvalid(invalid) < 0)
            {
                continue; // the inserted high surrogate happened to pair with a following low surrogate
            }

            var value = Assert.Throws<ArgumentException>(() => ProfileUpdate.ForThirdPartyId("id").Set("a", invalid));
            Assert.Equal("value", value.ParamName);
            var name = Assert.Throws<ArgumentException>(() => ProfileUpdate.ForThirdPartyId("id").Set("n" + invalid, "v"));
            Assert.Equal("name", name.ParamName);
            Assert.Throws<ArgumentException>(() => ProfileUpdate.ForThirdPartyId("x" + invalid));
        }
    }

    [Fact]
    public async Task BulkBatcher_RandomRowsWithSharedAndCopiedNamesInAnyOrder_AreTheReferenceCsv()
    {
        var random = new Random(1125);
        string[] pool = Enumerable.Range(0, 14).Select(i => "n" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + RandomMixedText(random, random.Next(0, 3))).ToArray();
        var rows = new List<(string Id, List<(string Name, string Value)> Attributes)>();
        for (int r = 0; r < 300; r++)
        {
            // Mostly the same names in the same order and as the same instances (the batcher's shortcut), sometimes
            // shuffled, subsets, equal copies (other instances) or empty values.
            var names = pool.Take(random.Next(1, 4) == 1 ? random.Next(1, pool.Length + 1) : 10).ToList();
            if (random.Next(4) == 0)
            {
                names = names.OrderBy(_ => random.Next()).ToList();
            }

            var attributes = names
                .Select(name => (random.Next(5) == 0 ? new string(name.AsSpan()) : name, random.Next(6) == 0 ? string.Empty : RandomMixedText(random, random.Next(0, 4))))
                .ToList();
            rows.Add(("id-" + RandomMixedText(random, 2), attributes));
        }

        var updates = rows.Select(row =>
        {
            var update = ProfileUpdate.ForThirdPartyId(row.Id.Replace('+', 'p').Replace('/', 's'));
            foreach (var (name, value) in row.Attributes)
            {
                update.Set(name, value);
            }

            return update;
        }).ToList();

        const int MaxRows = 37;
        var (batches, rejections, _) = await BulkTestSupport.CutAsync(updates, maxRows: MaxRows);

        Assert.Empty(rejections);
        Assert.Equal((rows.Count + MaxRows - 1) / MaxRows, batches.Count);
        for (int b = 0; b < batches.Count; b++)
        {
            Assert.Equal(ReferenceCsv(updates.Skip(b * MaxRows).Take(MaxRows).ToList()), batches[b].Body);
        }
    }

    /// <summary>UTF-8 (strict) then one byte at a time: unreserved as it is, anything else <c>%XX</c> uppercase.</summary>
    private static string ReferenceEncode(string text)
    {
        var builder = new StringBuilder();
        foreach (byte b in new UTF8Encoding(false, throwOnInvalidBytes: true).GetBytes(text))
        {
            if (b < 0x80 && UnreservedSet.Contains((char)b, StringComparison.Ordinal))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append("0123456789ABCDEF"[b >> 4]).Append("0123456789ABCDEF"[b & 0xF]);
            }
        }

        return builder.ToString();
    }

    /// <summary>The documented CSV: columns in order of first use, trailing empty fields left out, <c>\n</c> after each line.</summary>
    private static string ReferenceCsv(List<ProfileUpdate> updates)
    {
        var columns = new List<string>();
        var lines = new StringBuilder();
        foreach (var update in updates)
        {
            var fields = new List<string>();
            foreach (var (name, value) in update.Attributes)
            {
                int column = columns.IndexOf(name);
                if (column < 0)
                {
                    column = columns.Count;
                    columns.Add(name);
                }

                while (fields.Count <= column)
                {
                    fields.Add(string.Empty);
                }

                fields[column] = ReferenceEncode(value);
            }

            while (fields.Count > 0 && fields[^1].Length == 0)
            {
                fields.RemoveAt(fields.Count - 1);
            }

            lines.Append(ReferenceEncode(update.Id.Value));
            foreach (string field in fields)
            {
                lines.Append(',').Append(field);
            }

            lines.Append('\n');
        }

        return "batch=thirdPartyId" + string.Concat(columns.Select(c => "," + ReferenceEncode(c))) + "\n" + lines;
    }

    /// <summary>Segments of random length: unreserved runs (0–70), reserved ASCII, and 2-, 3- and 4-byte UTF-8 characters.</summary>
    private static string RandomMixedText(Random random, int segments)
    {
        var builder = new StringBuilder();
        for (int s = 0; s < segments; s++)
        {
            int count = random.Next(0, random.Next(2) == 0 ? 5 : 70);
            for (int i = 0; i < count; i++)
            {
                switch (random.Next(6))
                {
                    case 0 or 1 or 2:
                        builder.Append(UnreservedSet[random.Next(UnreservedSet.Length)]);
                        break;
                    case 3:
                        builder.Append(ReservedAscii[random.Next(ReservedAscii.Length)]);
                        break;
                    default:
                        int scalar = random.Next(4) switch
                        {
                            0 => random.Next(0x80, 0x800),
                            1 => random.Next(0x800, 0xD800),
                            2 => random.Next(0xE000, 0x10000),
                            _ => random.Next(0x10000, 0x110000),
                        };
                        builder.Append(new Rune(scalar).ToString());
                        break;
                }

                if (random.Next(3) == 0)
                {
                    // A long unreserved run, so the vectorized search crosses 8-, 16- and 32-character blocks.
                    builder.Append(UnreservedSet.AsSpan(0, random.Next(0, UnreservedSet.Length)));
                }
            }
        }

        return builder.ToString();
    }
}
