using System;
using System.Collections.Generic;

namespace TargetProfileUpdate;

/// <summary>
/// The status of a submitted batch, as its status URL reports it (with <c>showDetails=true</c>).
/// Counts the server did not send are <see langword="null"/>.
/// </summary>
/// <remarks>
/// Adobe keeps only the last 10 batch statuses per client, for at most 24 hours. Adobe also states that up to 0.1 % of
/// a large batch may not be onboarded: compare <see cref="SuccessfulUpdates"/> with <see cref="BatchSize"/>.
/// </remarks>
public sealed class BulkBatchStatus
{
    private static readonly BulkProfileStatus[] NoProfiles = [];

    /// <summary>Creates a status (for example in a test of your own code).</summary>
    /// <param name="batchId">The batch id.</param>
    /// <param name="state">The processing state.</param>
    /// <param name="batchSize">Rows in the batch, if reported.</param>
    /// <param name="consumedCount">Rows consumed so far, if reported.</param>
    /// <param name="successfulUpdates">Profiles updated (or created), if reported.</param>
    /// <param name="profilesNotFound">Profiles not found (version 1 does not create profiles), if reported.</param>
    /// <param name="failedUpdates">Rows that failed, if reported.</param>
    /// <param name="profiles">The legacy per-profile list; <see langword="null"/> or empty when the server sent counts instead.</param>
    /// <exception cref="ArgumentNullException"><paramref name="batchId"/> is <see langword="null"/>.</exception>
    public BulkBatchStatus(
        string batchId,
        BulkBatchState state,
        long? batchSize = null,
        long? consumedCount = null,
        long? successfulUpdates = null,
        long? profilesNotFound = null,
        long? failedUpdates = null,
        IReadOnlyList<BulkProfileStatus>? profiles = null)
    {
        ArgumentNullException.ThrowIfNull(batchId);
        BatchId = batchId;
        State = state;
        BatchSize = batchSize;
        ConsumedCount = consumedCount;
        SuccessfulUpdates = successfulUpdates;
        ProfilesNotFound = profilesNotFound;
        FailedUpdates = failedUpdates;
        Profiles = profiles is null || profiles.Count == 0 ? NoProfiles : Array.AsReadOnly(Copy(profiles));
    }

    /// <summary>Gets the batch id.</summary>
    public string BatchId { get; }

    /// <summary>Gets the processing state.</summary>
    public BulkBatchState State { get; }

    /// <summary>Gets how many rows the batch holds, if reported (<c>batchSize</c>).</summary>
    public long? BatchSize { get; }

    /// <summary>Gets how many rows were consumed so far, if reported (<c>consumedCount</c>).</summary>
    public long? ConsumedCount { get; }

    /// <summary>Gets how many profiles were updated or created, if reported (<c>successfulUpdates</c>).</summary>
    public long? SuccessfulUpdates { get; }

    /// <summary>Gets how many profiles were not found, if reported (<c>profilesNotFound</c>; version 1 does not create profiles).</summary>
    public long? ProfilesNotFound { get; }

    /// <summary>Gets how many rows failed, if reported (<c>failedUpdates</c>).</summary>
    public long? FailedUpdates { get; }

    /// <summary>Gets the legacy per-profile list older servers send instead of counts; empty when absent.</summary>
    public IReadOnlyList<BulkProfileStatus> Profiles { get; }

    /// <summary>Returns the batch id, the state and the counts (no personal data).</summary>
    /// <returns>A one-line summary.</returns>
    public override string ToString() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"{BatchId}: {State} (size {BatchSize}, consumed {ConsumedCount}, successful {SuccessfulUpdates}, not found {ProfilesNotFound}, failed {FailedUpdates}, {Profiles.Count} profiles listed)");

    private static BulkProfileStatus[] Copy(IReadOnlyList<BulkProfileStatus> profiles)
    {
        var copy = new BulkProfileStatus[profiles.Count];
        for (int i = 0; i < copy.Length; i++)
        {
            copy[i] = profiles[i] ?? throw new ArgumentException("The profile list contains null.", nameof(profiles));
        }

        return copy;
    }
}
