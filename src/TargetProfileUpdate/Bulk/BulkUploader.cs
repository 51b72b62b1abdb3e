using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate.Bulk;

/// <summary>Submits one encoded batch (send, retry, parse the answer) and returns the accepted batch, or throws.</summary>
/// <param name="batch">The batch; its content may be created and sent any number of times until the call returns.</param>
/// <param name="cancellationToken">Cancels the submission.</param>
internal delegate ValueTask<BulkBatch> BulkBatchSubmitter(EncodedBatch batch, CancellationToken cancellationToken);

/// <summary>
/// The accounting loop behind <see cref="IBulkProfileUpdateClient.UploadAsync"/>: reads the source through a
/// <see cref="BulkBatcher"/>, submits the batches one after the other through a delegate (the HTTP client's, or a test's),
/// reports progress, and accounts for every row taken from the source: in an accepted batch, in the rejections, or named
/// by the exception (<see cref="BulkUploadException"/> / <see cref="BulkUploadCanceledException"/>) as not accepted.
/// </summary>
/// <remarks>
/// Batches are sent in source order and one at a time, so when one is refused every row before its first index is
/// accounted for, and every row from it on is not accepted: the exception's <c>FirstUnacceptedIndex</c> is where to resume.
/// Each batch's pooled memory is returned once it is accepted or given up.
/// </remarks>
internal static class BulkUploader
{
    public static Task<BulkUploadResult> UploadAsync(IAsyncEnumerable<ProfileUpdate> updates, BulkUploadOptions? options, BulkBatchSubmitter submit, CancellationToken cancellationToken, ProfileAttributeLinter? linter = null, ISuppressionList? suppression = null, Action? onSuppressed = null)
    {
        ArgumentNullException.ThrowIfNull(updates);
        ArgumentNullException.ThrowIfNull(submit);
        options ??= new BulkUploadOptions();
        options.Validate();
        return RunAsync(new BulkBatcher(options.MaxRowsPerBatch, options.MaxBytesPerBatch, linter) { Suppression = suppression, OnSuppressed = onSuppressed }, updates, options.Progress, submit, cancellationToken);
    }

    private static async Task<BulkUploadResult> RunAsync(BulkBatcher batcher, IAsyncEnumerable<ProfileUpdate> updates, IProgress<BulkUploadProgress>? progress, BulkBatchSubmitter submit, CancellationToken cancellationToken)
    {
        using var _ = batcher;
        var accepted = new List<BulkBatch>();
        long sent = 0;
        long bytes = 0;
        EncodedBatch? current = null;
        try
        {
            await foreach (var batch in batcher.ReadBatchesAsync(updates!, cancellationToken).ConfigureAwait(false))
            {
                current = batch;
                var result = await submit(batch, cancellationToken).ConfigureAwait(false);
                accepted.Add(result);
                sent += batch.Rows;
                bytes += batch.Length;
                current = null;
                batch.Dispose();
                progress?.Report(new BulkUploadProgress(batcher.RowsRead, sent, accepted.Count, bytes));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            long first = FirstUnaccepted(current, batcher);
            throw new BulkUploadCanceledException(Partial(accepted, sent, batcher, first), first, batcher.RowsRead - first, cancellationToken);
        }
        catch (Exception ex)
        {
            long first = FirstUnaccepted(current, batcher);
            var partial = Partial(accepted, sent, batcher, first);
            long unaccepted = batcher.RowsRead - first;
            if (current is null)
            {
                throw new BulkUploadException(
                    string.Create(CultureInfo.InvariantCulture, $"Reading the source of the bulk upload failed ({ex.GetType().Name}) after {batcher.RowsRead:N0} rows. Rows from #{first} on were not accepted; resume the upload from there."),
                    partial, first, unaccepted, innerException: ex);
            }

            string what = string.Create(CultureInfo.InvariantCulture, $"Bulk batch {accepted.Count + 1} (rows from #{current.FirstIndex}, {current.Rows:N0} rows, {current.Length:N0} bytes) was not accepted");
            string resume = string.Create(CultureInfo.InvariantCulture, $" Rows from #{first} on were not accepted; resume the upload from there.");
            throw ex is ProfileApiException api
                ? new BulkUploadException(what + ": " + api.Message + resume, partial, first, unaccepted, api.StatusCode, api.ResponseBody, api.Attempts, api.IsTransient, api)
                : new BulkUploadException(what + " (" + ex.GetType().Name + ")." + resume, partial, first, unaccepted, innerException: ex);
        }
        finally
        {
            current?.Dispose();
        }

        progress?.Report(new BulkUploadProgress(batcher.RowsRead, sent, accepted.Count, bytes));
        return new BulkUploadResult(accepted, batcher.RowsRead, sent, batcher.Rejections.Count, batcher.Rejections);
    }

    /// <summary>The first row not accounted for: the batch in flight, else the batch being built, else the next row to read.</summary>
    private static long FirstUnaccepted(EncodedBatch? current, BulkBatcher batcher) =>
        current?.FirstIndex ?? batcher.PendingFirstIndex ?? batcher.RowsRead;

    private static BulkUploadResult Partial(List<BulkBatch> accepted, long sent, BulkBatcher batcher, long firstUnaccepted)
    {
        var rejections = new List<BulkRowRejection>();
        foreach (var rejection in batcher.Rejections)
        {
            if (rejection.Index >= firstUnaccepted)
            {
                break;
            }

            rejections.Add(rejection);
        }

        return new BulkUploadResult(accepted, firstUnaccepted, sent, rejections.Count, rejections);
    }
}
