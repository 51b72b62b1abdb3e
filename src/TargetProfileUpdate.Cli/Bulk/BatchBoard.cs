using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;

namespace TargetProfileUpdate.Cli.Bulk;

/// <summary>
/// The batches of a bulk import as they happen, for the live display and the summary: each accepted batch with its rows,
/// then (once the upload returns) its id and status URL, then (with <c>--wait</c>) its processing state and final counts.
/// Thread-safe: the SDK reports progress from its own thread while the display reads.
/// </summary>
internal sealed class BatchBoard
{
    private readonly Lock _gate = new();
    private readonly List<BatchView> _batches = [];
    private long _rowsSent;
    private volatile bool _settled;

    /// <summary>Gets the rows in batches Adobe Target accepted so far.</summary>
    public long RowsSent => Interlocked.Read(ref _rowsSent);

    /// <summary>Gets or sets whether the ledger holds the final outcome (from then on the ledger's counts are shown).</summary>
    public bool Settled
    {
        get => _settled;
        set => _settled = value;
    }

    /// <summary>The SDK's progress report: one more accepted batch.</summary>
    public void OnProgress(BulkUploadProgress progress)
    {
        lock (_gate)
        {
            long previous = Interlocked.Read(ref _rowsSent);
            while (_batches.Count < progress.BatchesAccepted)
            {
                bool last = _batches.Count == progress.BatchesAccepted - 1;
                _batches.Add(new BatchView(_batches.Count + 1) { Rows = last ? progress.RowsSent - previous : 0 });
            }

            Interlocked.Exchange(ref _rowsSent, progress.RowsSent);
        }
    }

    /// <summary>The upload returned: the batches as the SDK lists them (ids, status URLs, exact rows).</summary>
    public void Attach(IReadOnlyList<BulkBatch> batches)
    {
        lock (_gate)
        {
            for (int i = 0; i < batches.Count; i++)
            {
                if (i == _batches.Count)
                {
                    _batches.Add(new BatchView(i + 1));
                }

                _batches[i].Batch = batches[i];
                _batches[i].Rows = batches[i].Rows;
            }
        }
    }

    /// <summary>Sets the state shown for batch <paramref name="index"/> (0-based), and its final status when known.</summary>
    public void SetState(int index, string state, BulkBatchStatus? final = null)
    {
        lock (_gate)
        {
            _batches[index].State = state;
            _batches[index].Final = final ?? _batches[index].Final;
        }
    }

    /// <summary>A copy of the batches, for rendering.</summary>
    public IReadOnlyList<BatchView> Snapshot()
    {
        lock (_gate)
        {
            return _batches.ConvertAll(b => b with { });
        }
    }

    /// <summary>A short account of the batch states, for the plain progress line: "3 batch(es): 2 accepted, 1 complete".</summary>
    public string Summary()
    {
        var snapshot = Snapshot();
        if (snapshot.Count == 0)
        {
            return "no batch accepted yet";
        }

        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var batch in snapshot)
        {
            counts[batch.State] = counts.GetValueOrDefault(batch.State) + 1;
        }

        var parts = new List<string>();
        foreach (var (state, count) in counts)
        {
            parts.Add(count.ToString(CultureInfo.InvariantCulture) + " " + state);
        }

        return string.Create(CultureInfo.InvariantCulture, $"{snapshot.Count} batch(es): {string.Join(", ", parts)}");
    }
}

/// <summary>One batch on the board.</summary>
/// <param name="Number">1 for the first batch sent.</param>
internal sealed record BatchView(int Number)
{
    public long Rows { get; set; }

    /// <summary>Gets or sets the state shown: accepted, processing, complete, stuck, incomplete, or why the status is unknown.</summary>
    public string State { get; set; } = "accepted";

    public BulkBatch? Batch { get; set; }

    public BulkBatchStatus? Final { get; set; }

    /// <summary>One line without personal data: number, id, rows, state, counts, status URL (last, so it can be copied).</summary>
    /// <param name="ledger">Maps the batch's first source index to its row in the file (counted from 1, the header not counted).</param>
    public string Describe(Import.ImportLedger ledger)
    {
        string id = Batch is null ? string.Empty : " " + Batch.BatchId;
        string from = Batch is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" from row {ledger.RowOfSourceIndex(Batch.FirstIndex) + 1:N0}");
        string counts = Final is null ? string.Empty : " (" + BulkRunner.Counts(Final) + ")";
        string url = Batch is null ? string.Empty : "; status: " + Batch.StatusUrl.OriginalString;
        return string.Create(CultureInfo.InvariantCulture, $"Batch {Number}{id}: {Rows:N0} rows{from}, {State}{counts}{url}");
    }
}
