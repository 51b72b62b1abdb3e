using System;
using StackExchange.Redis;

namespace TargetProfileUpdate.Redis.RateLimiting;

/// <summary>
/// A Redis error that is the application's configuration, not an outage: Redis refused the credentials, or a limit key
/// holds a value of another type (<c>WRONGTYPE</c>: something else writes there). Neither gets better by falling back or
/// waiting, and neither is a rate limit, so each becomes an error that says what to fix. Messages name the key (it holds
/// only the prefix and the client code), never the connection string or Redis's own text.
/// </summary>
internal sealed record RedisMisconfiguration(RedisMisconfiguration.Problem Kind, string Tag, string Advice, string Message)
{
    public enum Problem
    {
        Authentication = 0,
        WrongType = 1,
    }

    private const string AuthenticationAdvice = "Redis refused this application's credentials; check the password (and user) in RedisLimitOptions.ConnectionString.";

    /// <summary>Redis refused the credentials.</summary>
    public static RedisMisconfiguration Authentication { get; } = new(
        Problem.Authentication, "authentication", AuthenticationAdvice, "The account's shared limits cannot use Redis: authentication failed. " + AuthenticationAdvice + " Nothing was sent.");

    public static RedisMisconfiguration? Describe(Exception exception, string key)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (IsAuthentication(e))
            {
                return Authentication;
            }

            if (e is RedisServerException && e.Message.StartsWith("WRONGTYPE", StringComparison.Ordinal))
            {
                string advice = "The Redis key '" + key + "' holds a value of another type, so something else writes to this account's limit keys; delete the key or choose another RedisLimitOptions.KeyPrefix.";
                return new(Problem.WrongType, "wrong_type", "A limit key holds a value of another type (WRONGTYPE); delete it or choose another RedisLimitOptions.KeyPrefix.", "The account's shared limits cannot use Redis: " + advice + " Nothing was sent.");
            }
        }

        return null;
    }

    /// <summary>Whether a connect log reports refused credentials (the log holds no password: the library masks it).</summary>
    public static bool MentionsAuthenticationFailure(string log) =>
        log.Contains("AuthenticationFailure", StringComparison.Ordinal)
        || log.Contains("WRONGPASS", StringComparison.Ordinal)
        || log.Contains("NOAUTH", StringComparison.Ordinal);

    private static bool IsAuthentication(Exception e) =>
        e is RedisConnectionException { FailureType: ConnectionFailureType.AuthenticationFailure }
        || (e is RedisServerException && (e.Message.StartsWith("NOAUTH", StringComparison.Ordinal) || e.Message.StartsWith("WRONGPASS", StringComparison.Ordinal)))
        || (e is RedisConnectionException && e.Message.Contains("AuthenticationFailure", StringComparison.Ordinal));
}
