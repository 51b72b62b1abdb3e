using Microsoft.Extensions.Logging;

namespace TargetProfileUpdate.Diagnostics;

/// <summary>The privacy and suppression messages (event ids 60–69): actions, counts and statuses only, never an id or a key.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 60, EventName = "PrivacyJobsRequested", Level = LogLevel.Information,
        Message = "Privacy Service {Action} request: {Requests} request(s) created {Jobs} job(s).")]
    public static partial void PrivacyRequested(ILogger logger, string action, int requests, int jobs);

    [LoggerMessage(EventId = 62, EventName = "ProfileSuppressed", Level = LogLevel.Debug,
        Message = "A {Source} for a profile on the suppression list was refused before sending.")]
    public static partial void Suppressed(ILogger logger, string source);
}
