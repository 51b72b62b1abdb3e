using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;

namespace TargetProfileUpdate.Emulator.State;

/// <summary>The accepted bulk batches: only the last <see cref="TargetEmulatorOptions.MaxRetainedBatches"/> are kept, as Adobe keeps 10.</summary>
internal sealed class BatchStore(TargetEmulatorOptions options)
{
    private readonly LinkedList<Batch> _batches = new();
    private readonly object _gate = new();
    private long _sequence;

    public string NextBatchId(DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"{options.ClientCode}-{now.ToUnixTimeMilliseconds()}-{Interlocked.Increment(ref _sequence)}");

    public void Add(Batch batch)
    {
        lock (_gate)
        {
            _batches.AddLast(batch);
            while (_batches.Count > Math.Max(0, options.MaxRetainedBatches))
            {
                _batches.RemoveFirst();
            }
        }
    }

    public Batch? Find(string batchId)
    {
        lock (_gate)
        {
            return _batches.FirstOrDefault(b => string.Equals(b.BatchId, batchId, StringComparison.Ordinal));
        }
    }

    public IReadOnlyList<EmulatedBatch> Snapshot(DateTimeOffset now)
    {
        lock (_gate)
        {
            return _batches.Select(b => b.Snapshot(now)).ToList();
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _batches.Clear();
            Interlocked.Exchange(ref _sequence, 0);
        }
    }

    /// <summary>What one row of a legacy per-profile status says: <c>success</c>, or <c>error</c> when it was not applied.</summary>
    internal readonly record struct ProfileOutcome(string Id, bool Success);

    /// <summary>One accepted batch. Its counts are fixed at submission; its state follows the clock.</summary>
    internal sealed class Batch
    {
        public required string BatchId { get; init; }

        public required int ApiVersion { get; init; }

        public required string IdColumn { get; init; }

        public required DateTimeOffset SubmittedAt { get; init; }

        public required DateTimeOffset CompleteAt { get; init; }

        public required bool Stuck { get; init; }

        public required long BatchSize { get; init; }

        public required long Bytes { get; init; }

        public required long SuccessfulUpdates { get; init; }

        public required long ProfilesNotFound { get; init; }

        public required long FailedUpdates { get; init; }

        public required Uri StatusUrl { get; init; }

        /// <summary>Per-row outcomes, kept only for the legacy status shape.</summary>
        public IReadOnlyList<ProfileOutcome>? Profiles { get; init; }

        public EmulatedBatchStatus StatusAt(DateTimeOffset now) =>
            Stuck ? EmulatedBatchStatus.Stuck : now >= CompleteAt ? EmulatedBatchStatus.Complete : EmulatedBatchStatus.Incomplete;

        public EmulatedBatch Snapshot(DateTimeOffset now) =>
            new(BatchId, ApiVersion, IdColumn, SubmittedAt, StatusAt(now), BatchSize, Bytes, SuccessfulUpdates, ProfilesNotFound, FailedUpdates, StatusUrl);
    }
}
