using System;
using System.Threading;
using System.Threading.Tasks;
using TargetProfileUpdate.Cli.Output;

namespace TargetProfileUpdate.Cli.Import;

/// <summary>
/// Wraps the SDK's client for <c>UpdateManyAsync</c> and records in the ledger how each row ended, so the failures
/// file can name exactly the rows that were not accepted: failed (with the SDK's reason) or cut off (not sent).
/// </summary>
internal sealed class TrackingUpdateClient(IProfileUpdateClient inner, ImportLedger ledger) : IProfileUpdateClient
{
    public async Task<ProfileUpdateResult> UpdateAsync(ProfileUpdate update, CancellationToken cancellationToken = default)
    {
        long row = ledger.Settle(update);
        try
        {
            var result = await inner.UpdateAsync(update, cancellationToken).ConfigureAwait(false);
            ledger.MarkAccepted(row);
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cut off by the second Ctrl+C or the end of the grace period: left "not sent", so it is resent.
            throw;
        }
        catch (Exception ex)
        {
            ledger.MarkFailed(row, ErrorText.Describe(ex));
            throw;
        }
    }
}
