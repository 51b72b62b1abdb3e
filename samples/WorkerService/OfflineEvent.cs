namespace WorkerService;

/// <summary>Something that happened where Target is not on the page.</summary>
public abstract record OfflineEvent(string CustomerId);

/// <summary>A customer called the call centre.</summary>
public sealed record CallCentreContact(string CustomerId, string Topic, DateTimeOffset At) : OfflineEvent(CustomerId);

/// <summary>A loyalty card was scanned at a till.</summary>
public sealed record LoyaltyCardScan(string CustomerId, string Store, decimal BasketValue, DateTimeOffset At) : OfflineEvent(CustomerId);
