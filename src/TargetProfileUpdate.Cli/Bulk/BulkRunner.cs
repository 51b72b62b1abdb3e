using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TargetProfileUpdate.Cli.Import;
using TargetProfileUpdate.Cli.Output;

namespace TargetProfileUpdate.Cli.Bulk;

/// <summary>How a bulk import is cut and followed (<c>--api-version</c>, <c>--batch-rows</c>, <c>--batch-bytes</c>, <c>--wait</c>, <c>--poll-interval</c>).</summary>
internal sealed record BulkSettings(BulkApiVersion ApiVersion, int BatchRows, int BatchBytes, bool Wait, TimeSpan PollInterval);

/// <summary>How a bulk import went, for the summary.</summary>
/// <param name="BatchLines">One line per batch: number, id, rows, state, counts, status URL.</param>
/// <param name="StoppedBy">Why the rows after the refused batch were not sent, when a batch was refused.</param>
/// <param name="NotApplied">With <c>--wait</c>: the rows Adobe Target reported as <c>profilesNotFound</c> or
/// <c>failedUpdates</c> in accepted batches (counts only: they cannot be told apart by row).</param>
internal sealed record BulkImportOutcome(IReadOnlyList<string> BatchLines, string? StoppedBy, long NotApplied);

/// <summary>
/// The tool's use of the SDK's <see cref="IBulkProfileUpdateClient"/>: an import's upload (every row settled in the ledger by
/// the SDK's source indexes: accepted batches, rejections, the refused batch and what followed it, the rows canceled) and
/// following batches to completion.
/// </summary>
internal sealed class BulkRunner(IBulkProfileUpdateClient client)
{
    /// <summary>
    /// Uploads the rows, follows the batches with <see cref="BulkSettings.Wait"/>, and settles every row in the ledger:
    /// rows in accepted batches are accepted (unless <c>--wait</c> found their batch stuck), rejected rows and the rows of a
    /// refused batch failed with the SDK's reason; rows never taken, or cut off by the second Ctrl+C, stay not sent.
    /// </summary>
    /// <param name="source">The valid rows, in file order: the SDK's source indexes are positions in this sequence.</param>
    /// <param name="ledger">Where each row's fate is recorded.</param>
    /// <param name="board">The live view of the batches.</param>
    /// <param name="settings">Limits and waiting.</param>
    /// <param name="stopWaiting">The first Ctrl+C: no more waiting for batches to complete.</param>
    /// <param name="cancellationToken">The second Ctrl+C or the end of the grace period: the request in flight is cut off.</param>
    public async Task<BulkImportOutcome> ImportAsync(RowSource source, ImportLedger ledger, BatchBoard board, BulkSettings settings, CancellationToken stopWaiting, CancellationToken cancellationToken)
    {
        var updates = source.ReadAsync(stopWaiting, cancellationToken);
        var options = new BulkUploadOptions
        {
            ApiVersion = settings.ApiVersion,
            MaxRowsPerBatch = settings.BatchRows,
            MaxBytesPerBatch = settings.BatchBytes,
            Progress = new DirectProgress(board.OnProgress),
        };

        BulkUploadResult result;
        long unaccepted = 0;
        string? refusedReason = null;
        string? stoppedBy = null;
        bool canceled = false;
        try
        {
            result = await client.UploadAsync(updates, options, cancellationToken).ConfigureAwait(false);
        }
        catch (BulkUploadException ex) when (source.Faulted)
        {
            // The input failed, not a batch: the rows read into the batch being built were not sent.
            result = ex.PartialResult;
            stoppedBy = ex.InnerException?.Message ?? "the input could not be read to the end";
        }
        catch (BulkUploadException ex)
        {
            result = ex.PartialResult;

            // The rows read from the source past the refused batch: the row that did not fit in it (read before the batch
            // was sent) unless the source had ended. Only the batch's own rows failed; that row was not sent.
            unaccepted = source.Completed ? ex.UnacceptedCount : Math.Max(0, ex.UnacceptedCount - 1);
            long firstRow = ledger.RowOfSourceIndex(ex.FirstUnacceptedIndex) + 1;
            long lastRow = ledger.RowOfSourceIndex(ex.FirstUnacceptedIndex + unaccepted - 1) + 1;
            string cause = ex.InnerException is ProfileApiException api ? ErrorText.Describe(api) : ErrorText.Describe(ex);
            refusedReason = string.Create(CultureInfo.InvariantCulture, $"batch {result.Batches.Count + 1} (rows {firstRow:N0} to {lastRow:N0}) was refused: {cause}");
            stoppedBy = "a batch was refused, so the rows after it were not sent (" + refusedReason + ")";
        }
        catch (BulkUploadCanceledException ex)
        {
            // The rows from FirstUnacceptedIndex on stay "not sent": resending them repeats nothing harmful.
            result = ex.PartialResult;
            canceled = true;
        }

        board.Attach(result.Batches);
        if (settings.Wait && !canceled && !stopWaiting.IsCancellationRequested)
        {
            await WaitForAllAsync(result.Batches, board, settings.PollInterval, stopWaiting).ConfigureAwait(false);
        }

        var rejections = result.Rejections.ToDictionary(r => r.Index, r => r.Reason);
        var unsettled = UnsettledRanges(result, board, settings.Wait);
        long submitted = result.Submitted;
        ledger.SettleBySourceIndex(submitted + unaccepted, index =>
        {
            if (rejections.TryGetValue(index, out string? reason))
            {
                return (RowOutcome.Failed, reason);
            }

            if (index >= submitted)
            {
                return (RowOutcome.Failed, refusedReason);
            }

            var range = unsettled.Find(s => index >= s.From && index < s.To);
            return range.Reason is null ? (RowOutcome.Accepted, null) : (range.Outcome, range.Reason);
        });
        board.Settled = true;
        long notApplied = board.Snapshot().Where(b => b.Final is { State: BulkBatchState.Complete }).Sum(b => (b.Final!.ProfilesNotFound ?? 0) + (b.Final!.FailedUpdates ?? 0));

        var lines = board.Snapshot().Select(b => b.Describe(ledger)).ToList();
        if (settings.Wait)
        {
            var finals = board.Snapshot().Where(b => b.Final is not null).Select(b => b.Final!).ToList();
            if (finals.Count > 0)
            {
                lines.Add(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Final counts of {finals.Count} batch(es): {Counts(Sum(finals, s => s.ConsumedCount), Sum(finals, s => s.SuccessfulUpdates), Sum(finals, s => s.ProfilesNotFound), Sum(finals, s => s.FailedUpdates))}"));
            }
        }

        return new BulkImportOutcome(lines, stoppedBy, notApplied);
    }

    /// <summary>The status of one batch, or (<paramref name="wait"/>) its final status.</summary>
    public Task<BulkBatchStatus> StatusAsync(BulkBatch batch, bool wait, TimeSpan pollInterval, CancellationToken cancellationToken) =>
        wait ? client.WaitForCompletionAsync(batch, pollInterval, cancellationToken) : client.GetStatusAsync(batch, cancellationToken);

    /// <summary>The four counts with their API names: <c>consumedCount 10, successfulUpdates 10, profilesNotFound 0, failedUpdates 0</c>.</summary>
    public static string Counts(BulkBatchStatus status) => Counts(status.ConsumedCount, status.SuccessfulUpdates, status.ProfilesNotFound, status.FailedUpdates);

    /// <summary>The state as Adobe Target names it.</summary>
    public static string StateName(BulkBatchState state) => state switch
    {
        BulkBatchState.Complete => "complete",
        BulkBatchState.Incomplete => "incomplete",
        BulkBatchState.Stuck => "stuck",
        _ => "unknown",
    };

    private static string Counts(long? consumed, long? successful, long? notFound, long? failed) => string.Create(
        CultureInfo.InvariantCulture,
        $"consumedCount {Number(consumed)}, successfulUpdates {Number(successful)}, profilesNotFound {Number(notFound)}, failedUpdates {Number(failed)}");

    private static string Number(long? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "n/a";

    private static long? Sum(List<BulkBatchStatus> statuses, Func<BulkBatchStatus, long?> count) =>
        statuses.All(s => count(s) is null) ? null : statuses.Sum(s => count(s) ?? 0);

    private async Task WaitForAllAsync(IReadOnlyList<BulkBatch> batches, BatchBoard board, TimeSpan pollInterval, CancellationToken stopWaiting)
    {
        try
        {
            await Task.WhenAll(batches.Select(async (batch, i) =>
            {
                board.SetState(i, "processing");
                try
                {
                    var status = await client.WaitForCompletionAsync(batch, pollInterval, stopWaiting).ConfigureAwait(false);
                    board.SetState(i, StateName(status.State), status);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    board.SetState(i, "status not known (" + ErrorText.Describe(ex) + ")");
                }
            })).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopWaiting.IsCancellationRequested)
        {
            // Ctrl+C while waiting: the batches were accepted; batch-status follows them later.
        }
    }

    /// <summary>
    /// The source index ranges of the batches whose rows are not known to be applied: found <c>stuck</c> (failed: none of
    /// their rows was applied), or, with <c>--wait</c>, whose final state could not be read (not confirmed: never reported
    /// as success).
    /// </summary>
    private static List<(long From, long To, RowOutcome Outcome, string? Reason)> UnsettledRanges(BulkUploadResult result, BatchBoard board, bool wait)
    {
        var ranges = new List<(long From, long To, RowOutcome Outcome, string? Reason)>();
        var views = board.Snapshot();
        for (int i = 0; i < result.Batches.Count; i++)
        {
            var batch = result.Batches[i];
            long to = i + 1 < result.Batches.Count ? result.Batches[i + 1].FirstIndex : result.Submitted;
            if (views[i].Final is { State: BulkBatchState.Stuck })
            {
                ranges.Add((batch.FirstIndex, to, RowOutcome.Failed, "the batch " + batch.BatchId + " is stuck: Adobe Target did not process it (send these rows again)"));
            }
            else if (wait && views[i].Final is not { State: BulkBatchState.Complete })
            {
                ranges.Add((batch.FirstIndex, to, RowOutcome.Unconfirmed, "not confirmed: Adobe Target accepted the batch " + batch.BatchId + ", but its processing could not be confirmed (" + views[i].State + "); follow it with batch-status " + batch.StatusUrl.OriginalString + ", or send these rows again (the same values)"));
            }
        }

        return ranges;
    }

    /// <summary>Reports on the SDK's thread, at once (<see cref="Progress{T}"/> would post to the thread pool, out of order).</summary>
    private sealed class DirectProgress(Action<BulkUploadProgress> report) : IProgress<BulkUploadProgress>
    {
        public void Report(BulkUploadProgress value) => report(value);
    }
}
