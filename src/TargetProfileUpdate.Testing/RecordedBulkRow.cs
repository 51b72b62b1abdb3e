using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace TargetProfileUpdate.Testing;

/// <summary>
/// One row that <see cref="FakeBulkProfileUpdateClient"/> accepted into a batch: an immutable snapshot of the update as it
/// was read from the source, where it was in the source, and the batch that carried it.
/// </summary>
public sealed class RecordedBulkRow
{
    /// <summary>Creates a snapshot of <paramref name="update"/>.</summary>
    /// <param name="index">The row's zero-based position in the upload's source.</param>
    /// <param name="update">The update; its attributes are copied.</param>
    /// <param name="batchId">The id of the batch that carried the row.</param>
    /// <exception cref="ArgumentNullException"><paramref name="update"/> or <paramref name="batchId"/> is <see langword="null"/>.</exception>
    public RecordedBulkRow(long index, ProfileUpdate update, string batchId)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(batchId);
        Index = index;
        Id = update.Id;
        Attributes = new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(update.Attributes, StringComparer.Ordinal));
        BatchId = batchId;
    }

    /// <summary>Gets the row's zero-based position in the upload's source (as in <see cref="BulkRowRejection.Index"/>).</summary>
    public long Index { get; }

    /// <summary>Gets the profile the row was for.</summary>
    public ProfileId Id { get; }

    /// <summary>Gets the attributes as they were when the row was read (read-only).</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; }

    /// <summary>Gets the id of the batch that carried the row (<see cref="BulkBatch.BatchId"/>).</summary>
    public string BatchId { get; }
}
