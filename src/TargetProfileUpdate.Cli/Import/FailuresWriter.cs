using System.IO;
using System.Text;
using CsvHelper;

namespace TargetProfileUpdate.Cli.Import;

/// <summary>
/// Writes every row that was not accepted, in the input's format (same header, same fields, RFC 4180 quoting) with a
/// trailing <c>error</c> column, by reading the input once more: importing the failures file sends exactly those rows.
/// </summary>
internal static class FailuresWriter
{
    /// <summary>Writes the file and returns how many rows it holds.</summary>
    public static long Write(string inputPath, string failuresPath, CsvLayout layout, ImportLedger ledger, string notSentReason)
    {
        using var reader = CsvLayout.OpenText(inputPath);
        using var parser = new CsvParser(reader, CsvLayout.Configuration(null));
        string temporary = failuresPath + ".partial";
        long written = 0;
        using (var output = new StreamWriter(temporary, append: false, new UTF8Encoding(false)))
        using (var csv = new CsvWriter(output, CsvLayout.Configuration(null)))
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
                    WriteRecord(csv, layout, parser.Record ?? [], reason);
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
}
