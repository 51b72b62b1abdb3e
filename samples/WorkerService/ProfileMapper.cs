using TargetProfileUpdate;

namespace WorkerService;

/// <summary>Turns an offline event into a profile update. Pure, so it is unit-tested without a network.</summary>
public static class ProfileMapper
{
    public static ProfileUpdate ToUpdate(OfflineEvent offlineEvent) => offlineEvent switch
    {
        CallCentreContact c => ProfileUpdate.ForThirdPartyId(c.CustomerId)
            .Set("lastContactChannel", "call-centre")
            .Set("lastContactTopic", c.Topic)
            .Set("lastContactAt", c.At),
        LoyaltyCardScan s => ProfileUpdate.ForThirdPartyId(s.CustomerId)
            .Set("lastStore", s.Store)
            .Set("lastBasketValue", s.BasketValue)
            .Set("lastScanAt", s.At),
        _ => throw new ArgumentOutOfRangeException(nameof(offlineEvent), offlineEvent.GetType().Name, "Unknown event type."),
    };
}
