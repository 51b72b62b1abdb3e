using Microsoft.Extensions.Logging;

namespace TargetProfileUpdate.Delivery;

/// <summary>Delivery-assurance log messages: counts, accounts and reasons from fixed sets; never ids or values.</summary>
internal static partial class DeliveryLog
{
    [LoggerMessage(EventId = 121, EventName = "ProfileDeliveryGaveUp", Level = LogLevel.Warning,
        Message = "A deferred profile update of account '{Account}' was given up ({Reason}) after {PendingMinutes} minutes pending; it was handed to the give-up callback: {HandedToSink}.")]
    public static partial void GaveUp(ILogger logger, string account, string reason, double pendingMinutes, bool handedToSink);

    [LoggerMessage(EventId = 122, EventName = "ProfileDeliveryGiveUpCallbackFailed", Level = LogLevel.Warning,
        Message = "The give-up callback of account '{Account}' threw {ExceptionType}; the update stays pending and is offered again at the next re-check.")]
    public static partial void GiveUpCallbackFailed(ILogger logger, string account, string exceptionType);

    [LoggerMessage(EventId = 123, EventName = "ProfileDeliveryExistenceCheckFailed", Level = LogLevel.Debug,
        Message = "Checking that a profile exists failed for account '{Account}' (transient: {IsTransient}); the update is kept pending.")]
    public static partial void ExistenceCheckFailed(ILogger logger, string account, bool isTransient);

    [LoggerMessage(EventId = 124, EventName = "ProfileDeliveryRecheckFailed", Level = LogLevel.Warning,
        Message = "The delivery re-check of account '{Account}' failed with {ExceptionType}; it runs again at the next interval.")]
    public static partial void RecheckFailed(ILogger logger, string account, string exceptionType);

    [LoggerMessage(EventId = 125, EventName = "ProfileDeliveryClaimLost", Level = LogLevel.Warning,
        Message = "A claim on pending updates of account '{Account}' expired while they were being delivered (the re-check took longer than the store's claim timeout); another instance may send them again.")]
    public static partial void ClaimLost(ILogger logger, string account);

    [LoggerMessage(EventId = 126, EventName = "ProfileDeliveryRecheck", Level = LogLevel.Debug,
        Message = "Delivery re-check of account '{Account}': {Checked} profiles checked, {Delivered} updates delivered, {GaveUp} given up, {Verified} verified.")]
    public static partial void Rechecked(ILogger logger, string account, int @checked, int delivered, int gaveUp, int verified);
}
