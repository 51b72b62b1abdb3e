using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using TargetProfileUpdate.Delivery;
using TargetProfileUpdate.Suppression;

namespace TargetProfileUpdate;

/// <summary>
/// The re-check of one account's deferred updates and the read-back of its sampled updates. In a host it runs as a hosted
/// service every <see cref="ProfileDeliveryOptions.RecheckInterval"/> (at most every minute); without one, resolve it
/// (<c>GetRequiredKeyedService&lt;ProfileDeliveryWorker&gt;(accountName)</c>) and call <see cref="RunOnceAsync"/> on your own schedule.
/// Thread-safe; passes in one process run one at a time.
/// </summary>
/// <remarks>
/// <para>A pass claims every id that is due (claims are exclusive across instances sharing a store), asks whether its
/// profile exists, and then either sends its pending updates in the order they were deferred, one request each, through
/// the account's one send path; or gives up the updates deferred more than <see cref="ProfileDeliveryOptions.GiveUpAfter"/>
/// ago and schedules the rest for the next check. A transient send failure, or an authentication failure (401/403: about the
/// account, not the update), keeps the update and those after it pending until <see cref="ProfileDeliveryOptions.GiveUpAfter"/>.</para>
/// </remarks>
#pragma warning disable CA1001 // The semaphore's wait handle is never created (no AvailableWaitHandle): it holds nothing to dispose.
public sealed class ProfileDeliveryWorker
#pragma warning restore CA1001
{
    private readonly DeliveryAccount _account;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    internal ProfileDeliveryWorker(DeliveryAccount account) => _account = account;

    /// <summary>Gets the account's registration name (empty for the default account).</summary>
    public string AccountName => _account.Name;

    /// <summary>Gets how often the hosted service runs a pass: <see cref="ProfileDeliveryOptions.RecheckInterval"/>, at most a minute.</summary>
    public TimeSpan PollInterval => _account.Options.RecheckInterval < TimeSpan.FromMinutes(1) ? _account.Options.RecheckInterval : TimeSpan.FromMinutes(1);

    /// <summary>Re-checks every due deferred update and reads back every sampled update that is due, once.</summary>
    /// <param name="cancellationToken">Stops the pass; claims held are released, nothing is lost.</param>
    /// <returns>What the pass did.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public async Task<ProfileDeliveryRunResult> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _account.Time.GetUtcNow();
            var counts = new Counts();
            int batch = _account.Options.RecheckConcurrency * 16;
            while (true)
            {
                var claims = await _account.Store.ClaimDueAsync(now, batch, cancellationToken).ConfigureAwait(false);
                if (claims.Count == 0)
                {
                    break;
                }

                await ProcessAsync(claims, now, counts, cancellationToken).ConfigureAwait(false);
            }

            await VerifyDueAsync(now, counts, cancellationToken).ConfigureAwait(false);
            var result = new ProfileDeliveryRunResult(counts.Checked, counts.Delivered, counts.GaveUp, counts.Verified);
            DeliveryLog.Rechecked(_account.Logger, _account.AccountTag, result.ProfilesChecked, result.Delivered, result.GaveUp, result.Verified);
            return result;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private async Task ProcessAsync(IReadOnlyList<PendingProfileClaim> claims, DateTimeOffset now, Counts counts, CancellationToken cancellationToken)
    {
        var released = new bool[claims.Count];
        try
        {
            await Parallel.ForEachAsync(
                Indexes(claims.Count),
                new ParallelOptions { MaxDegreeOfParallelism = _account.Options.RecheckConcurrency, CancellationToken = cancellationToken },
                async (i, token) =>
                {
                    var next = await DeliverAsync(claims[i], now, counts, token).ConfigureAwait(false);
                    released[i] = true;
                    if (next is { } checkAt)
                    {
                        await _account.Store.ReleaseAsync(claims[i], checkAt, CancellationToken.None).ConfigureAwait(false);
                    }
                }).ConfigureAwait(false);
        }
        finally
        {
            // Claims never started (or whose pass threw) are handed back at once: nothing stays claimed by a pass that ended.
            for (int i = 0; i < claims.Count; i++)
            {
                if (!Volatile.Read(ref released[i]))
                {
                    await _account.Store.ReleaseAsync(claims[i], now, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
    }

    private static IEnumerable<int> Indexes(int count)
    {
        for (int i = 0; i < count; i++)
        {
            yield return i;
        }
    }

    /// <summary>Handles one claimed id; returns when it is next due, or null when the claim was lost (not to be released).</summary>
    private async Task<DateTimeOffset?> DeliverAsync(PendingProfileClaim claim, DateTimeOffset now, Counts counts, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref counts.Checked);
        var options = _account.Options;
        var later = now + options.RecheckInterval;
        bool suppressed;
        try
        {
            suppressed = await SuppressionGuard.IsSuppressedAsync(_account.Suppression.ContainsAsync(claim.Id, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (ProfileApiException)
        {
            // Fail closed: nothing is checked or sent for an id that may have been erased; the next pass asks again.
            return later;
        }

        if (suppressed)
        {
            // Erased through Privacy Service after the updates were held: given up before anything is sent or fetched.
            foreach (var pending in claim.Updates)
            {
                if (!await GiveUpAsync(claim, pending, UndeliverableReason.Suppressed, new ProfileSuppressedException(), now, cancellationToken).ConfigureAwait(false))
                {
                    return later;
                }

                _account.CountSuppressed(SuppressionGuard.Delivery);
                Interlocked.Increment(ref counts.GaveUp);
            }

            return later;
        }

        bool exists;
        try
        {
            exists = await _account.Existence.ExistsAsync(claim.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (ProfileApiException ex)
        {
            // Unknown, not missing: nothing is given up on a check that could not be made.
            DeliveryLog.ExistenceCheckFailed(_account.Logger, _account.AccountTag, ex.IsTransient);
            return later;
        }

        var tag = DeliveryTelemetry.Account(_account.AccountTag);
        foreach (var pending in claim.Updates)
        {
            if (exists)
            {
                try
                {
                    await _account.Inner.UpdateAsync(pending.Update, cancellationToken).ConfigureAwait(false);
                }
                catch (ProfileApiException ex) when ((ex.IsTransient || ex.Reason == ProfileApiFailureReason.Authentication) && !cancellationToken.IsCancellationRequested)
                {
                    // Transient (rate limit, timeout, 5xx, open breaker), or about the account (a rotated or revoked token),
                    // not the update: this one and those after it wait for the next check, in order; given up, with the last
                    // failure, only once GiveUpAfter has passed since it was deferred.
                    if (pending.DeferredAt + options.GiveUpAfter > now)
                    {
                        return later;
                    }

                    if (!await GiveUpAsync(claim, pending, UndeliverableReason.SendFailed, ex, now, cancellationToken).ConfigureAwait(false))
                    {
                        return later;
                    }

                    Interlocked.Increment(ref counts.GaveUp);
                    continue;
                }
                catch (ProfileApiException ex) when (!ex.IsTransient && !cancellationToken.IsCancellationRequested)
                {
                    if (!await GiveUpAsync(claim, pending, UndeliverableReason.SendFailed, ex, now, cancellationToken).ConfigureAwait(false))
                    {
                        return later;
                    }

                    Interlocked.Increment(ref counts.GaveUp);
                    continue;
                }
                catch (ProfileApiException)
                {
                    // The pass was canceled: this one and those after it wait for the next check, in order.
                    return later;
                }
                catch (ArgumentException ex)
                {
                    // Refused by the plain client before sending (for example Linting = Strict, while the update was held by a
                    // deployment that only warned): it can never be sent, so it is given up rather than failing every pass.
                    if (!await GiveUpAsync(claim, pending, UndeliverableReason.SendFailed, ex, now, cancellationToken).ConfigureAwait(false))
                    {
                        return later;
                    }

                    Interlocked.Increment(ref counts.GaveUp);
                    continue;
                }

                if (!await _account.Store.RemoveAsync(claim, 1, CancellationToken.None).ConfigureAwait(false))
                {
                    DeliveryLog.ClaimLost(_account.Logger, _account.AccountTag);
                    return null;
                }

                Interlocked.Increment(ref counts.Delivered);
                _account.Telemetry.Delivered.Add(1, tag);
                _account.Sample(pending.Update);
            }
            else
            {
                if (pending.DeferredAt + options.GiveUpAfter > now)
                {
                    return later;
                }

                if (!await GiveUpAsync(claim, pending, UndeliverableReason.ProfileNeverAppeared, null, now, cancellationToken).ConfigureAwait(false))
                {
                    return later;
                }

                Interlocked.Increment(ref counts.GaveUp);
            }
        }

        // Every claimed update is done; updates appended meanwhile are due at the next pass.
        return exists ? now + TimeSpan.FromTicks(1) : later;
    }

    private async Task<bool> GiveUpAsync(PendingProfileClaim claim, PendingProfileUpdate pending, UndeliverableReason reason, Exception? exception, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sink = _account.Options.OnGiveUp;
        if (sink is not null)
        {
            try
            {
                await sink(new UndeliverableProfileUpdate(_account.Name, pending, reason, exception), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                DeliveryLog.GiveUpCallbackFailed(_account.Logger, _account.AccountTag, ex.GetType().Name);
                return false;
            }
        }

        if (!await _account.Store.RemoveAsync(claim, 1, CancellationToken.None).ConfigureAwait(false))
        {
            DeliveryLog.ClaimLost(_account.Logger, _account.AccountTag);
            return false;
        }

        string reasonTag = DeliveryTelemetry.Tag(reason);
        _account.Telemetry.GaveUp.Add(1, DeliveryTelemetry.Account(_account.AccountTag), new("reason", reasonTag));
        DeliveryLog.GaveUp(_account.Logger, _account.AccountTag, reasonTag, Math.Round((now - pending.DeferredAt).TotalMinutes, 1), sink is not null);
        return true;
    }

    private async Task VerifyDueAsync(DateTimeOffset now, Counts counts, CancellationToken cancellationToken)
    {
        var due = new List<(ProfileUpdate Update, DateTimeOffset SentAt)>();
        while (_account.TryTakeDueVerification(now, out var item))
        {
            due.Add(item);
        }

        if (due.Count == 0)
        {
            return;
        }

        var tag = DeliveryTelemetry.Account(_account.AccountTag);
        await Parallel.ForEachAsync(
            due,
            new ParallelOptions { MaxDegreeOfParallelism = _account.Options.RecheckConcurrency, CancellationToken = cancellationToken },
            async (item, token) =>
            {
                string outcome;
                try
                {
                    var result = await _account.Fetch.VerifyAsync(item.Update, item.SentAt, token).ConfigureAwait(false);
                    _account.CountVerified(result.Outcome);
                    outcome = DeliveryTelemetry.Tag(result.Outcome);
                }
                catch (ProfileApiException)
                {
                    outcome = "failed";
                }

                Interlocked.Increment(ref counts.Verified);
                _account.Telemetry.Verified.Add(1, tag, new("outcome", outcome));
            }).ConfigureAwait(false);
    }

    private sealed class Counts
    {
#pragma warning disable SA1401, CA1051 // Fields, for Interlocked.
        public int Checked;
        public int Delivered;
        public int GaveUp;
        public int Verified;
#pragma warning restore SA1401, CA1051
    }
}
