using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate.Emulator.Endpoints;

/// <summary>
/// Reads a bulk <c>batchUpdate</c> body: <c>batch=</c>, a CSV header whose first column is <c>pcId</c> or
/// <c>thirdPartyId</c>, then one row per visitor. Every field is URL-encoded UTF-8 (<c>+</c> is a space), so a raw
/// <c>,</c> separates fields and a raw line break (<c>\n</c> or <c>\r\n</c>) separates rows. Empty fields are kept as
/// <see langword="null"/> (Adobe ignores them). Adobe's encoding table: an unencoded <c>%</c> refuses the batch
/// (<c>success=false</c>); an unencoded <c>&amp;</c> truncates the row there.
/// </summary>
/// <remarks>The emulator is not on the performance path: the body is read whole (up to the byte limit) and split.</remarks>
internal sealed class BatchBodyReader
{
    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Gets why the batch is refused (a <c>&lt;message&gt;</c>), or <see langword="null"/>.</summary>
    public string? Error { get; private set; }

    /// <summary>Gets the CSV bytes (after <c>batch=</c>) received.</summary>
    public long Bytes { get; private set; }

    /// <summary>Gets the header's first column: <c>pcId</c> or <c>thirdPartyId</c>.</summary>
    public string IdColumn { get; private set; } = string.Empty;

    /// <summary>Gets the attribute names of the header (index 0 is the id column, <see langword="null"/>).</summary>
    public string?[] Names { get; private set; } = [];

    /// <summary>Gets each row's id; <see langword="null"/> for a row without one or with more fields than the header.</summary>
    public List<string?> Ids { get; } = [];

    /// <summary>Gets the values, <c>Names.Length</c> per row (index 0 unused).</summary>
    public List<string?> Values { get; } = [];

    /// <summary>Gets what the emulator changed or ignored (an unencoded <c>&amp;</c> truncating a row).</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Reads the whole body, refusing it past <paramref name="maxBytes"/> CSV bytes or <paramref name="maxRows"/> rows.</summary>
    public static async Task<BatchBodyReader> ReadAsync(Stream body, long maxBytes, int maxRows, CancellationToken cancellationToken)
    {
        var reader = new BatchBodyReader();
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        long total = 0;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
            int keep = (int)Math.Min(read, Math.Max(0, maxBytes + 7 - buffer.Length));
            buffer.Write(chunk, 0, keep);
        }

        byte[] bytes = buffer.ToArray();
        reader.Bytes = Math.Max(0, total - 6);
        if (!bytes.AsSpan().StartsWith("batch="u8))
        {
            reader.Error = "The body must start with batch= followed by the CSV";
        }
        else if (total - 6 > maxBytes)
        {
            reader.Error = string.Create(CultureInfo.InvariantCulture, $"The batch is larger than {maxBytes} bytes");
        }
        else
        {
            reader.Parse(bytes.AsSpan(6), maxRows);
        }

        if (reader.Error is null && reader.IdColumn.Length == 0)
        {
            reader.Error = "The batch is empty: expected a header row starting with pcId or thirdPartyId";
        }

        if (reader.Error is not null)
        {
            reader.Ids.Clear();
            reader.Values.Clear();
        }

        return reader;
    }

    private void Parse(ReadOnlySpan<byte> csv, int maxRows)
    {
        int lineNumber = 0;
        foreach (var range in csv.Split((byte)'\n'))
        {
            lineNumber++;
            var line = csv[range];
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            int amp = line.IndexOf((byte)'&');
            if (amp >= 0)
            {
                Notes.Add(string.Create(CultureInfo.InvariantCulture, $"line {lineNumber} truncated at an unencoded & (Adobe's encoding table)"));
                line = line[..amp];
            }

            if (line.IsEmpty)
            {
                continue;
            }

            var fields = new List<string?>();
            foreach (var field in line.Split((byte)','))
            {
                if (!TryDecode(line[field], out string? value, out string? problem))
                {
                    Error = string.Create(CultureInfo.InvariantCulture, $"Line {lineNumber}{problem}");
                    return;
                }

                fields.Add(value);
            }

            if (IdColumn.Length == 0)
            {
                if (!Header(fields))
                {
                    return;
                }

                continue;
            }

            if (Ids.Count == maxRows)
            {
                Error = string.Create(CultureInfo.InvariantCulture, $"The batch has more than {maxRows} rows");
                return;
            }

            // A row with more fields than the header, or without an id, fails whole (counted in failedUpdates).
            bool tooMany = fields.Count > Names.Length;
            Ids.Add(tooMany ? null : fields[0]);
            for (int i = 0; i < Names.Length; i++)
            {
                Values.Add(i > 0 && !tooMany && i < fields.Count ? fields[i] : null);
            }
        }
    }

    private bool Header(List<string?> names)
    {
        if (names[0] is not ("pcId" or "thirdPartyId"))
        {
            Error = "The first column of the header must be pcId or thirdPartyId";
            return false;
        }

        for (int i = 1; i < names.Count; i++)
        {
            if (names[i] is null)
            {
                Error = string.Create(CultureInfo.InvariantCulture, $"Column {i + 1} of the header has no name");
                return false;
            }
        }

        IdColumn = names[0]!;
        names[0] = null;
        Names = [.. names];
        return true;
    }

    /// <summary>URL-decodes one field exactly once (<c>%XX</c> and <c>+</c>); empty gives <see langword="null"/>. A <c>%</c> not
    /// followed by two hex digits, or bytes that are not UTF-8, are refused.</summary>
    private static bool TryDecode(ReadOnlySpan<byte> raw, out string? value, out string? problem)
    {
        value = null;
        problem = null;
        if (raw.IsEmpty)
        {
            return true;
        }

        var bytes = new byte[raw.Length];
        int n = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            byte b = raw[i];
            if (b == (byte)'+')
            {
                b = (byte)' ';
            }
            else if (b == (byte)'%')
            {
                if (i + 2 >= raw.Length || !char.IsAsciiHexDigit((char)raw[i + 1]) || !char.IsAsciiHexDigit((char)raw[i + 2]))
                {
                    problem = " has an unencoded % (not followed by two hex digits): encode it as %25";
                    return false;
                }

                b = byte.Parse(raw.Slice(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                i += 2;
            }

            bytes[n++] = b;
        }

        try
        {
            value = StrictUtf8.GetString(bytes, 0, n);
            return true;
        }
        catch (System.Text.DecoderFallbackException)
        {
            problem = " is not URL-encoded UTF-8";
            return false;
        }
    }
}
