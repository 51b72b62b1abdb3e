namespace TargetProfileUpdate.Http;

/// <summary>Which HTTP statuses are transient (retried) and which count as server failures (circuit breaker).</summary>
internal static class TransientStatus
{
    /// <summary>408, 429, 500, 502, 503 and 504.</summary>
    public static bool IsTransient(int status) => status is 408 or 429 or 500 or 502 or 503 or 504;

    /// <summary>5xx and 408; never 429, which is about rate, not health.</summary>
    public static bool IsServerFailure(int status) => status is >= 500 or 408;
}
