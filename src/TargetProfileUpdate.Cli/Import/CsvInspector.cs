using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using CsvHelper;

namespace TargetProfileUpdate.Cli.Import;

/// <summary>What the pre-pass found: the layout, how many data rows, which rows cannot be sent (by row index), and the
/// lines of the rows that are not UTF-8 (their bytes go to the failures file as they are).</summary>
internal sealed record CsvInspection(CsvLayout Layout, long Rows, SortedDictionary<long, string> InvalidRows, SortedDictionary<long, (long First, long Last)> RawRows)
{
    /// <summary>Gets the input's size and time of last change when it was inspected (to notice a file changed during the import).</summary>
    public (long Length, DateTime LastWrite) Snapshot { get; init; }
}

/// <summary>
/// Reads the whole file once before anything is sent, streaming (memory holds one row and the invalid rows' reasons):
/// invalid UTF-8 (by a byte scan, so the line and column are exact), the header, field counts, quoting, and every
/// row's id and values through the SDK's own validation. Without <c>--skip-invalid</c> the first problems stop the import.
/// </summary>
internal static class CsvInspector
{
    private const int MaxReported = 10;

    public static CsvInspection Inspect(string path, bool skipInvalid)
    {
        var badUtf8 = FindInvalidUtf8(path, skipInvalid ? int.MaxValue : MaxReported);
        if (!skipInvalid && badUtf8.Count > 0)
        {
            throw new UsageException(Join(badUtf8.ConvertAll(b => Utf8Message(b.Line, b.Column))));
        }

        var invalid = new SortedDictionary<long, string>();
        var raw = new SortedDictionary<long, (long First, long Last)>();
        var info = new FileInfo(path);
        var snapshot = (info.Length, info.LastWriteTimeUtc);
        var errors = new List<string>();
        bool badData = false;
        using var reader = CsvLayout.OpenText(path);
        using var parser = new CsvParser(reader, CsvLayout.Configuration(_ => badData = true));
        if (!ReadBounded(parser, 1))
        {
            throw new UsageException("line 1: the file is empty; it must start with a header whose first column is thirdPartyId or pcId.");
        }

        if (badData)
        {
            throw new UsageException("line 1: the header has a malformed quoted field.");
        }

        var layout = CsvLayout.Parse(parser.Record);
        long previousEnd = parser.RawRow;
        long row = 0;
        int utf8Index = 0;
        while (ReadBounded(parser, previousEnd + 1))
        {
            long start = previousEnd + 1;
            long end = Math.Max(start, parser.RawRow);
            previousEnd = end;
            string[] fields = parser.Record ?? [];

            while (utf8Index < badUtf8.Count && badUtf8[utf8Index].Line < start)
            {
                utf8Index++;
            }

            string? error = null;
            if (utf8Index < badUtf8.Count && badUtf8[utf8Index].Line <= end)
            {
                error = Utf8Message(badUtf8[utf8Index].Line, badUtf8[utf8Index].Column);
                raw[row] = (start, end);
            }
            else if (badData)
            {
                error = At(start, null, "a malformed quoted field (RFC 4180: quote the whole field and double any quote inside it).");
            }
            else if (fields.Length > layout.FieldCount)
            {
                error = At(start, layout.FieldCount + 1, string.Create(CultureInfo.InvariantCulture, $"the row has {fields.Length} fields; the header has {layout.FieldCount}."));
            }
            else if (fields.Length < layout.FieldCount)
            {
                error = At(start, fields.Length + 1, string.Create(CultureInfo.InvariantCulture, $"the row has {fields.Length} fields; the header has {layout.FieldCount}."));
            }
            else
            {
                try
                {
                    _ = layout.ToUpdate(fields);
                }
                catch (ArgumentException ex)
                {
                    error = At(start, fields[0].Trim().Length == 0 ? 1 : null, CsvLayout.Describe(ex));
                }
            }

            badData = false;
            if (error is not null)
            {
                invalid[row] = error;
                if (!skipInvalid)
                {
                    errors.Add(error);
                    if (errors.Count >= MaxReported)
                    {
                        break;
                    }
                }
            }

            row++;
        }

        if (errors.Count > 0)
        {
            throw new UsageException(Join(errors));
        }

        return new CsvInspection(layout, row, invalid, raw) { Snapshot = snapshot };
    }

    /// <summary>
    /// Reads the next record; a field longer than <see cref="CsvLayout.MaxFieldLength"/> (a stray quote swallowing the rest
    /// of the file, or a runaway field) stops the import with its line, whatever <c>--skip-invalid</c> says: the rows after
    /// it cannot be told apart. Memory stays bounded: the parser gives up at the cap instead of reading on.
    /// </summary>
    public static bool ReadBounded(CsvParser parser, long line)
    {
        try
        {
            return parser.Read();
        }
        catch (MaxFieldSizeException)
        {
            throw new UsageException(string.Create(
                CultureInfo.InvariantCulture,
                $"line {line}: a field is longer than {CsvLayout.MaxFieldLength:N0} characters, the most the tool reads (Adobe keeps at most 64 KB of data per profile). Usually a stray quote opened a field that never closes: quote the whole field and double any quote inside it. Nothing was sent."));
        }
    }

    /// <summary>Finds bytes that are not UTF-8, as (line, column) with both counted from 1 and columns in characters.</summary>
    public static List<(long Line, long Column)> FindInvalidUtf8(string path, int max)
    {
        var found = new List<(long Line, long Column)>();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        byte[] buffer = ArrayPool<byte>.Shared.Rent((1 << 16) + 8);
        try
        {
            int carry = 0;
            long line = 1, column = 1;
            while (true)
            {
                int read = stream.Read(buffer, carry, 1 << 16);
                int length = carry + read;
                bool final = read == 0;
                int i = 0;
                while (i < length)
                {
                    byte b = buffer[i];
                    if (b < 0x80)
                    {
                        if (b == (byte)'\n')
                        {
                            line++;
                            column = 1;
                        }
                        else
                        {
                            column++;
                        }

                        i++;
                        continue;
                    }

                    var status = Rune.DecodeFromUtf8(buffer.AsSpan(i, length - i), out _, out int consumed);
                    if (status == OperationStatus.NeedMoreData && !final)
                    {
                        break;
                    }

                    if (status != OperationStatus.Done && (found.Count == 0 || found[^1].Line != line))
                    {
                        found.Add((line, column));
                        if (found.Count >= max)
                        {
                            return found;
                        }
                    }

                    i += Math.Max(consumed, 1);
                    column++;
                }

                carry = length - i;
                Buffer.BlockCopy(buffer, i, buffer, 0, carry);
                if (final)
                {
                    return found;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string Utf8Message(long line, long column) =>
        string.Create(CultureInfo.InvariantCulture, $"line {line}, column {column}: invalid UTF-8 (save the file as UTF-8).");

    private static string At(long line, int? column, string what) => column is { } c
        ? string.Create(CultureInfo.InvariantCulture, $"line {line}, column {c}: {what}")
        : string.Create(CultureInfo.InvariantCulture, $"line {line}: {what}");

    private static string Join(List<string> errors) =>
        "the CSV file has problems; nothing was sent (use --skip-invalid to send the other rows and put these in the failures file):"
        + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", errors);
}
