using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;

namespace TargetProfileUpdate.Cli.Import;

/// <summary>How a row ended. Every row of the file is in exactly one of these.</summary>
internal enum RowOutcome : byte
{
    /// <summary>Not sent (yet): never read, cut off, or stopped before sending.</summary>
    NotSent = 0,

    /// <summary>Accepted by Adobe Target.</summary>
    Accepted = 1,

    /// <summary>Sent and not accepted (or refused by the SDK before sending).</summary>
    Failed = 2,

    /// <summary>Set aside by the pre-pass (<c>--skip-invalid</c>).</summary>
    Invalid = 3,

    /// <summary>Not sent: the existence check found no profile, and a single update would be dropped.</summary>
    NoProfile = 4,

    /// <summary>Accepted in a bulk batch whose processing could not be confirmed (its status could not be read).</summary>
    Unconfirmed = 5,

    /// <summary>Accepted, but <c>--verify</c> read the profile back and the values were not there.</summary>
    NotLanded = 6,
}

/// <summary>
/// How every data row ended, by row index (0 for the first data row): one <see cref="RowOutcome"/> byte per row plus the
/// reasons of the rows that were not accepted, so millions of rows fit. Rows are also numbered by their position among
/// the rows sent (the "source index" the bulk SDK's results use).
/// </summary>
internal sealed class ImportLedger
{
    private readonly byte[] _states;
    private readonly long[] _counts = new long[7];
    private readonly ConcurrentDictionary<long, string> _reasons = new();
    private readonly ConcurrentDictionary<ProfileUpdate, long> _rowOf = new(ReferenceEqualityComparer.Instance);
    private long _read;
    private int _waitingForCircuit;

    public ImportLedger(CsvInspection inspection)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(inspection.Rows, Array.MaxLength, "rows");
        _states = new byte[inspection.Rows];
        foreach (var (row, reason) in inspection.InvalidRows)
        {
            _states[row] = (byte)RowOutcome.Invalid;
            _reasons[row] = reason;
        }

        _counts[(int)RowOutcome.Invalid] = inspection.InvalidRows.Count;
        Rows = inspection.Rows;
    }

    public long Rows { get; }

    public long Invalid => Count(RowOutcome.Invalid);

    /// <summary>Gets how many rows were handed to the sender.</summary>
    public long Read => Interlocked.Read(ref _read);

    public long Accepted => Count(RowOutcome.Accepted);

    public long Failed => Count(RowOutcome.Failed);

    public long NoProfile => Count(RowOutcome.NoProfile);

    public long Unconfirmed => Count(RowOutcome.Unconfirmed);

    public long NotLanded => Count(RowOutcome.NotLanded);

    /// <summary>Gets how many valid rows were not sent (or whose send was cut off, or not settled yet): read or not.</summary>
    public long NotSent => Rows - Invalid - Accepted - Failed - NoProfile - Unconfirmed - NotLanded;

    /// <summary>Gets how many rows reached an answer (accepted or failed, or found to have no profile), for progress.</summary>
    public long Done => Accepted + Failed + NoProfile;

    /// <summary>Gets or sets whether updates are waiting for the circuit breaker to close (shown in the progress).</summary>
    public bool WaitingForCircuit
    {
        get => Volatile.Read(ref _waitingForCircuit) != 0;
        set => Volatile.Write(ref _waitingForCircuit, value ? 1 : 0);
    }

    public long Count(RowOutcome outcome) => Interlocked.Read(ref _counts[(int)outcome]);

    public RowOutcome OutcomeOf(long row) => (RowOutcome)Volatile.Read(ref _states[row]);

    /// <summary>Records that <paramref name="update"/> (row <paramref name="row"/>) is handed to the sender.</summary>
    /// <param name="update">The update.</param>
    /// <param name="row">Its row.</param>
    /// <param name="track">Remember which row the update came from, for <see cref="RowOf"/> (row by row). The bulk
    /// import settles by source index instead, so it keeps no update in memory.</param>
    public void Take(ProfileUpdate update, long row, bool track)
    {
        if (track)
        {
            _rowOf[update] = row;
        }

        Interlocked.Increment(ref _read);
    }

    /// <summary>The row an update in flight came from (-1 when unknown).</summary>
    public long RowOf(ProfileUpdate update) => _rowOf.TryGetValue(update, out long row) ? row : -1;

    /// <summary>Forgets an update once its row is settled.</summary>
    public void Forget(ProfileUpdate update) => _rowOf.TryRemove(update, out _);

    /// <summary>The row of the valid row with source index <paramref name="source"/> (its position among the rows sent).</summary>
    public long RowOfSourceIndex(long source)
    {
        for (long row = 0; row < Rows; row++)
        {
            if (_states[row] != (byte)RowOutcome.Invalid && source-- == 0)
            {
                return row;
            }
        }

        return -1;
    }

    /// <summary>
    /// Settles rows by source index (the position among the rows sent, invalid rows skipped): every valid row with a
    /// source index below <paramref name="end"/> gets the outcome <paramref name="outcomeOf"/> returns (with its reason;
    /// <see cref="RowOutcome.NotSent"/> leaves the row as it is). Rows from <paramref name="end"/> on stay as they are.
    /// </summary>
    public void SettleBySourceIndex(long end, Func<long, (RowOutcome Outcome, string? Reason)> outcomeOf)
    {
        long source = 0;
        for (long row = 0; row < Rows && source < end; row++)
        {
            if (_states[row] == (byte)RowOutcome.Invalid)
            {
                continue;
            }

            var (outcome, reason) = outcomeOf(source++);
            if (outcome == RowOutcome.NotSent)
            {
                if (reason is not null)
                {
                    _reasons[row] = reason;
                }
            }
            else
            {
                Mark(row, outcome, reason);
            }
        }
    }

    public void MarkAccepted(long row) => Mark(row, RowOutcome.Accepted, null);

    public void MarkFailed(long row, string reason) => Mark(row, RowOutcome.Failed, reason);

    /// <summary>Leaves the row not sent, with why (instead of the run's general reason).</summary>
    public void MarkNotSent(long row, string reason)
    {
        if (row >= 0 && _states[row] == (byte)RowOutcome.NotSent)
        {
            _reasons[row] = reason;
        }
    }

    /// <summary>Settles a row that has no outcome yet.</summary>
    public void Mark(long row, RowOutcome outcome, string? reason)
    {
        if (row < 0 || Interlocked.CompareExchange(ref _states[row], (byte)outcome, (byte)RowOutcome.NotSent) != (byte)RowOutcome.NotSent)
        {
            return;
        }

        if (reason is not null)
        {
            _reasons[row] = reason;
        }

        Interlocked.Increment(ref _counts[(int)outcome]);
    }

    /// <summary>Moves an accepted row to <paramref name="outcome"/> (<c>--verify</c> found it not applied; a batch not confirmed).</summary>
    public void Downgrade(long row, RowOutcome outcome, string reason)
    {
        if (Interlocked.CompareExchange(ref _states[row], (byte)outcome, (byte)RowOutcome.Accepted) == (byte)RowOutcome.Accepted)
        {
            _reasons[row] = reason;
            Interlocked.Decrement(ref _counts[(int)RowOutcome.Accepted]);
            Interlocked.Increment(ref _counts[(int)outcome]);
        }
    }

    /// <summary>Whether the row was accepted; otherwise why not (<paramref name="notSentReason"/> for rows never settled without a reason of their own).</summary>
    public bool IsAccepted(long row, string notSentReason, out string reason)
    {
        var state = (RowOutcome)_states[row];
        if (state == RowOutcome.Accepted)
        {
            reason = string.Empty;
            return true;
        }

        reason = _reasons.GetValueOrDefault(row) ?? (state == RowOutcome.NotSent ? notSentReason : "failed");
        return false;
    }

    /// <summary>The accepted rows, in file order (for the <c>--verify</c> sample).</summary>
    public IEnumerable<long> AcceptedRows()
    {
        for (long row = 0; row < Rows; row++)
        {
            if (_states[row] == (byte)RowOutcome.Accepted)
            {
                yield return row;
            }
        }
    }
}
