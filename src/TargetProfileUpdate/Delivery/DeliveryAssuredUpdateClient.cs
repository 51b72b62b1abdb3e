using System;
using System.Threading;
using System.Threading.Tasks;
using TargetProfileUpdate.Suppression;

namespace TargetProfileUpdate.Delivery;

/// <summary>
/// The account's <see cref="IProfileUpdateClient"/> when delivery assurance needs it (<see cref="UnknownProfileHandling.Defer"/>,
/// <see cref="UnknownProfileHandling.Reject"/>, or sampled verification): checks that the profile exists (cached), defers or
/// rejects updates for unknown profiles, and sends the rest through the account's plain client, the same send path the
/// re-check uses for deferred updates.
/// </summary>
internal sealed class DeliveryAssuredUpdateClient : IProfileUpdateClient, IDisposable
{
    private const string DeferredMessage = "Deferred: Adobe Target has no profile for this id yet; the update is held and sent once the profile exists.";

    private static readonly ProfileUpdateResult DeferredResult = ProfileUpdateResult.CreateDeferred(DeferredMessage);

    private readonly DeliveryAccount _account;

    public DeliveryAssuredUpdateClient(DeliveryAccount account) => _account = account;

    public Task<ProfileUpdateResult> UpdateAsync(ProfileUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.AttributeList.Count == 0)
        {
            throw new ArgumentException("A profile update must set at least one attribute; nothing was sent.", nameof(update));
        }

        return cancellationToken.IsCancellationRequested
            ? Task.FromCanceled<ProfileUpdateResult>(cancellationToken)
            : _account.Options.UnknownProfiles switch
            {
                UnknownProfileHandling.Defer => DeferAsync(update, cancellationToken),
                UnknownProfileHandling.Reject => RejectAsync(update, cancellationToken),
                _ => SendAsync(update, cancellationToken),
            };
    }

    public void Dispose() => (_account.Inner as IDisposable)?.Dispose();

    private async Task<ProfileUpdateResult> SendAsync(ProfileUpdate update, CancellationToken cancellationToken)
    {
        var result = await _account.Inner.UpdateAsync(update, cancellationToken).ConfigureAwait(false);
        _account.Sample(update);
        return result;
    }

    private async Task<ProfileUpdateResult> RejectAsync(ProfileUpdate update, CancellationToken cancellationToken)
    {
        await ThrowIfSuppressedAsync(update, cancellationToken).ConfigureAwait(false);
        if (!await _account.Existence.ExistsAsync(update.Id, cancellationToken).ConfigureAwait(false))
        {
            _account.Telemetry.Rejected.Add(1, DeliveryTelemetry.Account(_account.AccountTag));
            throw new UnknownProfileException();
        }

        return await SendAsync(update, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ProfileUpdateResult> DeferAsync(ProfileUpdate update, CancellationToken cancellationToken)
    {
        // An erased person's update is neither held (the store would keep their values) nor checked for existence.
        await ThrowIfSuppressedAsync(update, cancellationToken).ConfigureAwait(false);

        // An update the plain client would refuse before sending (strict linting, too large) is refused now, as it would be
        // for an existing profile: held, it would be answered "deferred" and could never be delivered.
        (_account.Inner as ProfileUpdateClient)?.EnsureSendable(update);

        // An update for an id that already waits joins the queue behind the older ones, so it never overtakes them
        // (asked first, even when the profile is known to exist: the re-check may be delivering that id's queue right now).
        var store = _account.Store;
        var pending = new PendingProfileUpdate(Copy(update), _account.Time.GetUtcNow());
        if (await store.AppendIfPendingAsync(pending, cancellationToken).ConfigureAwait(false))
        {
            return Deferred();
        }

        bool exists;
        try
        {
            exists = await _account.Existence.ExistsAsync(update.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (ProfileApiException ex) when (ex.IsTransient)
        {
            // The check could not be made now: holding the update is safe (the re-check sends it once the profile is seen).
            DeliveryLog.ExistenceCheckFailed(_account.Logger, _account.AccountTag, ex.IsTransient);
            exists = false;
        }

        if (!exists)
        {
            await store.AddAsync(pending, pending.DeferredAt + _account.Options.RecheckInterval, cancellationToken).ConfigureAwait(false);
            return Deferred();
        }

        return await SendAsync(update, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask ThrowIfSuppressedAsync(ProfileUpdate update, CancellationToken cancellationToken)
    {
        if (await SuppressionGuard.IsSuppressedAsync(_account.Suppression.ContainsAsync(update.Id, cancellationToken), cancellationToken).ConfigureAwait(false))
        {
            _account.CountSuppressed(SuppressionGuard.Update);
            throw new ProfileSuppressedException();
        }
    }

    private ProfileUpdateResult Deferred()
    {
        _account.Telemetry.Deferred.Add(1, DeliveryTelemetry.Account(_account.AccountTag));
        return DeferredResult;
    }

    /// <summary>The store keeps its own copy: the caller may go on setting attributes on its instance.</summary>
    private static ProfileUpdate Copy(ProfileUpdate update)
    {
        var copy = new ProfileUpdate(update.Id);
        foreach (var (name, value) in update.AttributeList)
        {
            copy.Set(name, value);
        }

        return copy;
    }
}
