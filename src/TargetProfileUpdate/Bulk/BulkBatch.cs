using System;

namespace TargetProfileUpdate;

/// <summary>
/// A batch Adobe Target accepted for processing: its id, where to ask for its status, and which rows of the source it holds.
/// Rows are contiguous in the source except for rejected rows (listed in <see cref="BulkUploadResult.Rejections"/>).
/// </summary>
public sealed class BulkBatch
{
    /// <summary>Creates a batch (for example in a test of your own code).</summary>
    /// <param name="batchId">The batch id Adobe Target assigned.</param>
    /// <param name="statusUrl">The status URL exactly as Adobe Target returned it (it names a specific edge host).</param>
    /// <param name="firstIndex">The zero-based source index of the batch's first row.</param>
    /// <param name="rows">How many rows the batch holds.</param>
    /// <param name="bytes">The length of the batch's request body in bytes.</param>
    /// <param name="apiVersion">The API version that received it.</param>
    /// <exception cref="ArgumentNullException"><paramref name="statusUrl"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="batchId"/> is null or empty, or <paramref name="statusUrl"/> is not absolute.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="firstIndex"/> is negative, or <paramref name="rows"/> or <paramref name="bytes"/> is not positive.</exception>
    public BulkBatch(string batchId, Uri statusUrl, long firstIndex, int rows, long bytes, BulkApiVersion apiVersion)
    {
        ArgumentException.ThrowIfNullOrEmpty(batchId);
        ArgumentNullException.ThrowIfNull(statusUrl);
        if (!statusUrl.IsAbsoluteUri)
        {
            throw new ArgumentException("The batch status URL must be absolute.", nameof(statusUrl));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(firstIndex);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        BatchId = batchId;
        StatusUrl = statusUrl;
        FirstIndex = firstIndex;
        Rows = rows;
        Bytes = bytes;
        ApiVersion = apiVersion;
    }

    /// <summary>Gets the batch id Adobe Target assigned.</summary>
    public string BatchId { get; }

    /// <summary>Gets the status URL exactly as Adobe Target returned it.</summary>
    public Uri StatusUrl { get; }

    /// <summary>Gets the zero-based source index of the batch's first row.</summary>
    public long FirstIndex { get; }

    /// <summary>Gets how many rows the batch holds.</summary>
    public int Rows { get; }

    /// <summary>Gets the length of the batch's request body in bytes.</summary>
    public long Bytes { get; }

    /// <summary>Gets the API version that received the batch.</summary>
    public BulkApiVersion ApiVersion { get; }

    /// <summary>Returns the batch id and its row range (no personal data).</summary>
    /// <returns>For example <c>demo-1701473848678-13029383 (rows from #0, 500000 rows, V2)</c>.</returns>
    public override string ToString() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"{BatchId} (rows from #{FirstIndex}, {Rows} rows, {Bytes} bytes, {ApiVersion})");
}
