using System;
using System.IO;
using System.Text;
using CsvHelper;

namespace TargetProfileUpdate.Cli.Import;

/// <summary>
/// Writes every row that was not accepted, in the input's format (same header, same fields, RFC 4180 quoting) with a
/// trailing <see cref="CsvLayout.ErrorColumn"/> column, by reading the input once more: importing the failures file sends
/// exactly those rows. A row that is not UTF-8 is copied byte for byte (never decoded into replacement characters), so
/// importing the failures file refuses it again until the file is fixed, and never sends a character the input did not hold.
/// </summary>
internal static class FailuresWriter
{
    /// <summary>Checks before anything is sent that the failures file can be written (its folder exists, it is writable).</summary>
    public static void CheckWritable(string failuresPath)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(failuresPath));
        if (folder is null || !Directory.Exists(folder))
        {
            throw new UsageException("the folder of the failures file '" + failuresPath + "' does not exist; nothing was sent (create it, or pass --failures with another path).");
        }

        string probe = failuresPath + ".partial";
        try
        {
            using (new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException("the failures file '" + failuresPath + "' cannot be written (" + ex.GetType().Name + "); nothing was sent (pass --failures with a writable path).", ex);
        }
    }

    /// <summary>Writes the file and returns how many rows it holds.</summary>
    public static long Write(string inputPath, string failuresPath, CsvInspection inspection, ImportLedger ledger, string notSentReason)
    {
        var layout = inspection.Layout;
        var configuration = CsvLayout.Configuration(null);
        using var reader = CsvLayout.OpenText(inputPath);
        using var parser = new CsvParser(reader, configuration);
        using var raw = new RawLines(inputPath);
        string temporary = failuresPath + ".partial";
        long written = 0;
        using (var output = new StreamWriter(temporary, append: false, new UTF8Encoding(false)))
        using (var csv = new CsvWriter(output, configuration))
        {
            if (!parser.Read())
            {
                return 0;
            }

            WriteRecord(csv, layout, parser.Record ?? [], CsvLayout.ErrorColumn);
            long row = 0;
            while (parser.Read())
            {
                if (row < ledger.Rows && !ledger.IsAccepted(row, notSentReason, out string reason))
                {
                    if (inspection.RawRows.TryGetValue(row, out var lines))
                    {
                        csv.Flush();
                        output.Flush();
                        raw.Copy(lines.First, lines.Last, output.BaseStream);
                        output.Write(',');
                        output.Write(Quote(reason));
                        output.Write(configuration.NewLine);
                    }
                    else
                    {
                        WriteRecord(csv, layout, parser.Record ?? [], reason);
                    }

                    written++;
                }

                row++;
            }
        }

        File.Move(temporary, failuresPath, overwrite: true);
        return written;
    }

    private static void WriteRecord(CsvWriter csv, CsvLayout layout, string[] fields, string error)
    {
        // A failures file read back as input: drop its old error field, keep the rest as it was.
        int count = layout.IgnoresErrorColumn && fields.Length == layout.FieldCount ? fields.Length - 1 : fields.Length;
        for (int i = 0; i < count; i++)
        {
            csv.WriteField(fields[i]);
        }

        csv.WriteField(error);
        csv.NextRecord();
    }

    private static string Quote(string field) => "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The input's bytes by line (counted from 1), read forward once.</summary>
    private sealed class RawLines(string path) : IDisposable
    {
        private readonly BufferedStream _input = new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan), 1 << 16);
        private long _line = 1;

        /// <summary>Copies lines <paramref name="first"/> to <paramref name="last"/> without blank lines before them and
        /// without the last line break.</summary>
        public void Copy(long first, long last, Stream output)
        {
            while (_line < first && Skip())
            {
            }

            using var row = new MemoryStream();
            int b;
            while ((b = _input.ReadByte()) >= 0)
            {
                if (b == '\n')
                {
                    _line++;
                    if (_line > last)
                    {
                        break;
                    }
                }

                row.WriteByte((byte)b);
            }

            var bytes = row.GetBuffer().AsSpan(0, (int)row.Length);
            int start = 0;
            while (start < bytes.Length && bytes[start] is (byte)'\r' or (byte)'\n')
            {
                start++;
            }

            int end = bytes.Length;
            if (end > start && bytes[end - 1] == '\r')
            {
                end--;
            }

            output.Write(bytes[start..end]);
        }

        public void Dispose() => _input.Dispose();

        private bool Skip()
        {
            int b;
            while ((b = _input.ReadByte()) >= 0)
            {
                if (b == '\n')
                {
                    _line++;
                    return true;
                }
            }

            return false;
        }
    }
}
