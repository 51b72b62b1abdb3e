using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using CsvHelper;

namespace TargetProfileUpdate.Cli.Import;

/// <summary>
/// Streams the valid rows of the (already inspected) file as updates, one row in memory at a time. It stops reading
/// when <c>stopReading</c> is canceled (the first Ctrl+C, or an account-wide failure): the rows after that are never taken,
/// so they stay "not sent" in the ledger. With <c>trackRows</c> the ledger remembers each update's row (row by row);
/// a bulk import settles by source index instead, so no update stays in memory.
/// </summary>
internal sealed class RowSource(string path, CsvInspection inspection, ImportLedger ledger, bool trackRows)
{
    private volatile bool _completed;
    private volatile bool _faulted;

    /// <summary>Gets whether every row of the file was read (the source ended on its own).</summary>
    public bool Completed => _completed;

    /// <summary>Gets whether reading the file failed (it changed or became unreadable during the import).</summary>
    public bool Faulted => _faulted;

    public async IAsyncEnumerable<ProfileUpdate> ReadAsync(CancellationToken stopReading, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = CsvLayout.OpenText(path);
        using var parser = new CsvParser(reader, CsvLayout.Configuration(null));
        if (!await ReadAsync(parser).ConfigureAwait(false))
        {
            _completed = true;
            yield break;
        }

        long row = 0;
        while (!stopReading.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            if (!await ReadAsync(parser).ConfigureAwait(false))
            {
                _completed = true;
                yield break;
            }

            long current = row++;
            if (inspection.InvalidRows.ContainsKey(current) || current >= ledger.Rows)
            {
                continue;
            }

            ProfileUpdate update;
            try
            {
                update = inspection.Layout.ToUpdate(parser.Record!);
            }
            catch (Exception ex) when (ex is ArgumentException or IndexOutOfRangeException)
            {
                _faulted = true;
                throw new InputChangedException(ex);
            }

            ledger.Take(update, current, trackRows);
            yield return update;
        }
    }

    private async System.Threading.Tasks.Task<bool> ReadAsync(CsvParser parser)
    {
        try
        {
            return await parser.ReadAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is CsvHelperException or System.IO.IOException or UnauthorizedAccessException)
        {
            _faulted = true;
            throw new InputChangedException(ex);
        }
    }
}

/// <summary>The input file could not be read to the end as it was inspected: it changed, or reading it failed.</summary>
internal sealed class InputChangedException(Exception inner)
    : Exception("the input file changed or could not be read to the end during the import (" + inner.GetType().Name + ")", inner);
