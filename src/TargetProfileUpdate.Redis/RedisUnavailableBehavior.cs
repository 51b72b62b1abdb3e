namespace TargetProfileUpdate.Redis;

/// <summary>What the distributed limiters do while Redis cannot be reached or does not answer in time.</summary>
public enum RedisUnavailableBehavior
{
    /// <summary>
    /// Each process falls back to its own in-memory rolling-window limiter at
    /// <see cref="RedisLimitOptions.LocalFallbackFraction"/> of the account's limit, logs one warning for the
    /// outage and returns to Redis as soon as it answers again. The default.
    /// </summary>
    FailOpenWithLocalLimit = 0,

    /// <summary>Every permit is refused (nothing is sent) until Redis answers again.</summary>
    FailClosed = 1,
}
