using Microsoft.Extensions.Logging;

namespace TargetProfileUpdate.Redis.Diagnostics;

/// <summary>
/// The package's log messages. None carries the connection string, a password, a key or an exception message:
/// only exception type names, behaviours and durations.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 101, EventName = "RedisLimitsUnavailable", Level = LogLevel.Warning,
        Message = "Redis is unavailable for the shared account limits ({ErrorType}); permits are decided by {Behavior} until it answers again (tried again every {RetryIntervalMilliseconds} ms).")]
    public static partial void Unavailable(ILogger logger, string errorType, string behavior, double retryIntervalMilliseconds);

    [LoggerMessage(EventId = 102, EventName = "RedisLimitsAvailable", Level = LogLevel.Information,
        Message = "Redis answers again after {OutageMilliseconds} ms; the account limits are shared across instances again.")]
    public static partial void Available(ILogger logger, double outageMilliseconds);

    [LoggerMessage(EventId = 103, EventName = "RedisLimitsMisconfigured", Level = LogLevel.Error,
        Message = "The shared account limits cannot use Redis ({Problem}): {Advice} Nothing is sent while this lasts.")]
    public static partial void Misconfigured(ILogger logger, string problem, string advice);
}
