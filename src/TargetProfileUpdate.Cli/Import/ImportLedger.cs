using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;

namespace TargetProfileUpdate.Cli.Import;

/// <summary>
/// How every data row ended, by row index: accepted, failed (with the SDK's reason), invalid (with the pre-pass's
/// reason), or not sent. One byte per row plus the reasons of the rows that were not accepted, so millions of rows fit.
/// Rows are also numbered by their position among the rows sent (the "source index" the bulk SDK's results use).
/// </summary>
internal sealed class ImportLedger
{
    private const byte Pending = 0;
    private const byte AcceptedState = 1;
    private const byte FailedState = 2;
    private const byte InvalidState = 3;

    private readonly byte[] _states;
    private readonly ConcurrentDictionary<long, string> _reasons = new();
    private readonly ConcurrentDictionary<ProfileUpdate, long> _rowOf = new(ReferenceEqualityComparer.Instance);
    private readonly long _invalid;
    private long _read;
    private long _accepted;
    private long _failed;

    public ImportLedger(CsvInspection inspection)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(inspection.Rows, Array.MaxLength, "rows");
        _states = new byte[inspection.Rows];
        _invalid = inspection.InvalidRows.Count;
        foreach (var (row, reason) in inspection.InvalidRows)
        {
            _states[row] = InvalidState;
            _reasons[row] = reason;
        }

        Rows = inspection.Rows;
    }

    public long Rows { get; }

    public long Invalid => _invalid;

    /// <summary>Gets how many rows were handed to the sender.</summary>
    public long Read => Interlocked.Read(ref _read);

    public long Accepted => Interlocked.Read(ref _accepted);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Gets how many valid rows were not sent (or whose send was cut off, or not settled yet): read or not.</summary>
    public long NotSent => Rows - Invalid - Accepted - Failed;

    /// <summary>Records that <paramref name="update"/> (row <paramref name="row"/>) is handed to the sender.</summary>
    /// <param name="update">The update.</param>
    /// <param name="row">Its row.</param>
    /// <param name="track">Remember which row the update came from, for <see cref="Settle"/> (row by row). The bulk
    /// import settles by source index instead, so it keeps no update in memory.</param>
    public void Take(ProfileUpdate update, long row, bool track)
    {
        if (track)
        {
            _rowOf[update] = row;
        }

        Interlocked.Increment(ref _read);
    }

    /// <summary>
    /// Settles the rows the SDK accounted for by source index (the position among the rows sent, invalid rows skipped):
    /// every valid row with a source index below <paramref name="end"/> is failed with
    /// <paramref name="failureOf"/>'s reason, or accepted when it returns <see langword="null"/>. Rows from
    /// <paramref name="end"/> on stay as they are (not sent).
    /// </summary>
    public void SettleBySourceIndex(long end, Func<long, string?> failureOf)
    {
        long source = 0;
        for (long row = 0; row < Rows && source < end; row++)
        {
            if (_states[row] == InvalidState)
            {
                continue;
            }

            if (failureOf(source++) is { } reason)
            {
                MarkFailed(row, reason);
            }
            else
            {
                MarkAccepted(row);
            }
        }
    }

    /// <summary>The row an update in flight came from, forgotten once it is settled.</summary>
    public long Settle(ProfileUpdate update) => _rowOf.TryRemove(update, out long row) ? row : -1;

    public void MarkAccepted(long row)
    {
        if (row >= 0 && _states[row] == Pending)
        {
            _states[row] = AcceptedState;
            Interlocked.Increment(ref _accepted);
        }
    }

    public void MarkFailed(long row, string reason)
    {
        if (row >= 0 && _states[row] == Pending)
        {
            _reasons[row] = reason;
            _states[row] = FailedState;
            Interlocked.Increment(ref _failed);
        }
    }

    /// <summary>Whether the row was accepted; otherwise why not (<paramref name="notSentReason"/> for rows never settled).</summary>
    public bool IsAccepted(long row, string notSentReason, out string reason)
    {
        byte state = _states[row];
        if (state == AcceptedState)
        {
            reason = string.Empty;
            return true;
        }

        reason = state == Pending ? notSentReason : _reasons.GetValueOrDefault(row, "failed");
        return false;
    }
}
