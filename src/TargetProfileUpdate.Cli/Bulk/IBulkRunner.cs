using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Spectre.Console;
using TargetProfileUpdate.Cli.Import;

namespace TargetProfileUpdate.Cli.Bulk;

/// <summary>
/// Every use of the Bulk Profile Update API by the tool goes through this seam, so that wiring the SDK's
/// <c>IBulkProfileUpdateClient</c> is a change to <see cref="BulkRunnerFactory"/> alone (see Bulk/BulkRunnerFactory.cs).
/// </summary>
internal interface IBulkRunner
{
    /// <summary>Gets whether this build can use the Bulk API at all.</summary>
    bool IsAvailable { get; }

    /// <summary>
    /// Uploads the updates as bulk batches. Must record every row in <see cref="BulkImportRequest.Ledger"/>:
    /// rows of accepted batches as accepted, rejections and refused batches as failed with the SDK's reason;
    /// rows never taken (cancellation) stay not sent. Returns one line per batch for the summary.
    /// </summary>
    Task<BulkImportOutcome> ImportAsync(BulkImportRequest request, CancellationToken cancellationToken);

    /// <summary>Prints a batch's status (following it to completion when <paramref name="wait"/>); returns the exit code.</summary>
    Task<int> ShowStatusAsync(Uri statusUrl, bool wait, IAnsiConsole console, CancellationToken cancellationToken);
}

/// <summary>What a bulk import is given.</summary>
/// <param name="Updates">The valid rows, in file order (the SDK's indexes are positions in this sequence: map them with <see cref="ImportLedger.RowOfSourceIndex"/>).</param>
/// <param name="Ledger">Where each row's fate is recorded.</param>
/// <param name="Wait">Follow every batch to completion and report the final counts.</param>
internal sealed record BulkImportRequest(IAsyncEnumerable<ProfileUpdate> Updates, ImportLedger Ledger, bool Wait);

/// <summary>How a bulk import went, for the summary.</summary>
/// <param name="BatchLines">One line per batch: id, rows, state.</param>
internal sealed record BulkImportOutcome(IReadOnlyList<string> BatchLines);
