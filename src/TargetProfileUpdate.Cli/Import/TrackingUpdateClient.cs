using System;
using System.Threading;
using System.Threading.Tasks;
using TargetProfileUpdate.Cli.Output;

namespace TargetProfileUpdate.Cli.Import;

/// <summary>
/// Wraps the SDK's client for <c>UpdateManyAsync</c> and records in the ledger how each row ended, so the failures
/// file can name exactly the rows that were not accepted. Before sending, it checks that the profile exists (with
/// <paramref name="existence"/>): the Single Profile Update API drops updates for unknown profiles while answering
/// "accepted". The first authentication failure stops the import (it is account-wide): the rows after it are not sent.
/// An update refused by the open circuit breaker stays not sent (the batch waits and tries it again). A row whose id is on
/// the account's suppression list skips the existence check (nothing is fetched for an erased person) and goes to the SDK's
/// client, which refuses it before sending (<see cref="ProfileSuppressedException"/>, in the failures file).
/// </summary>
internal sealed class TrackingUpdateClient(IProfileUpdateClient inner, ImportLedger ledger, IProfileFetchClient? existence, Action<string> stopImport, ISuppressionList? suppression = null) : IProfileUpdateClient
{
    private int _stopped;

    /// <summary>Gets why the import stopped early, once it did.</summary>
    public string? StoppedBy { get; private set; }

    public async Task<ProfileUpdateResult> UpdateAsync(ProfileUpdate update, CancellationToken cancellationToken = default)
    {
        long row = ledger.RowOf(update);
        if (Volatile.Read(ref _stopped) != 0)
        {
            // Taken from the source before the stop: not sent, and never will be in this run.
            ledger.Forget(update);
            throw new OperationCanceledException("not sent: the import stopped");
        }

        try
        {
            bool suppressed = suppression is not null && await suppression.ContainsAsync(update.Id, cancellationToken).ConfigureAwait(false);
            if (!suppressed && existence is not null && await ExistsAsync(existence, update.Id, cancellationToken).ConfigureAwait(false) is false)
            {
                ledger.Mark(row, RowOutcome.NoProfile, NoProfileReason);
                ledger.Forget(update);
                throw new ProfileNotFoundException();
            }

            var result = await inner.UpdateAsync(update, cancellationToken).ConfigureAwait(false);
            ledger.WaitingForCircuit = false;
            ledger.MarkAccepted(row);
            ledger.Forget(update);
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cut off by the second Ctrl+C or the end of the grace period: left "not sent", so it is resent.
            ledger.Forget(update);
            throw;
        }
        catch (Exception ex) when (ErrorText.IsCircuitOpen(ex))
        {
            // Never sent: the batch waits for the breaker and hands the same update back (the row stays known).
            ledger.WaitingForCircuit = true;
            ledger.MarkNotSent(row, "not sent: " + ErrorText.CircuitOpenReason);
            throw;
        }
        catch (Exception ex) when (ex is not ProfileNotFoundException)
        {
            ledger.MarkFailed(row, ErrorText.Describe(ex));
            ledger.Forget(update);
            if (ErrorText.IsAuthentication(ex) && Interlocked.Exchange(ref _stopped, 1) == 0)
            {
                StoppedBy = "authentication failed, so the import stopped and the rows after it were not sent: " + ErrorText.Describe(ex);
                stopImport(StoppedBy);
            }

            throw;
        }
    }

    private static async Task<bool> ExistsAsync(IProfileFetchClient existence, ProfileId id, CancellationToken cancellationToken)
    {
        try
        {
            return await existence.GetProfileAsync(id, cancellationToken).ConfigureAwait(false) is not null;
        }
        catch (ProfileApiException ex) when (!ErrorText.IsCircuitOpen(ex) && !ErrorText.IsAuthentication(ex))
        {
            throw new ProfileApiException("The existence check (Profile Fetch API) failed, so the row was not sent: " + ex.Message, ex.StatusCode, null, ex.Attempts, ex.IsTransient, ex);
        }
    }

    /// <summary>The failures-file reason of a row whose profile does not exist.</summary>
    public const string NoProfileReason =
        "no profile (not sent): Adobe Target has no profile with this id yet, and the Single Profile Update API silently drops updates for unknown profiles. Import the file with --via bulk (Bulk API v2 creates profiles), or import this file again after the visitor's first visit.";

    /// <summary>The existence check found no profile; the row was not sent.</summary>
    private sealed class ProfileNotFoundException : Exception
    {
        public ProfileNotFoundException()
            : base("no profile")
        {
        }
    }
}
