using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using CsvHelper;

namespace TargetProfileUpdate.Cli.Import;

/// <summary>
/// Streams the valid rows of the (already inspected) file as updates, one row in memory at a time. It stops reading
/// when <c>stopReading</c> is canceled (the first Ctrl+C): the rows after that are never taken, so they
/// stay "not sent" in the ledger. With <c>trackRows</c> the ledger remembers each update's row (row by row);
/// a bulk import settles by source index instead, so no update stays in memory.
/// </summary>
internal static class RowSource
{
    public static async IAsyncEnumerable<ProfileUpdate> ReadAsync(string path, CsvInspection inspection, ImportLedger ledger, bool trackRows, CancellationToken stopReading, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = CsvLayout.OpenText(path);
        using var parser = new CsvParser(reader, CsvLayout.Configuration(null));
        if (!await parser.ReadAsync().ConfigureAwait(false))
        {
            yield break;
        }

        long row = 0;
        while (!stopReading.IsCancellationRequested && !cancellationToken.IsCancellationRequested && await parser.ReadAsync().ConfigureAwait(false))
        {
            long current = row++;
            if (inspection.InvalidRows.ContainsKey(current) || current >= ledger.Rows)
            {
                continue;
            }

            var update = inspection.Layout.ToUpdate(parser.Record!);
            ledger.Take(update, current, trackRows);
            yield return update;
        }
    }
}
