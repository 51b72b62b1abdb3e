using System;
using System.Net.Http;

namespace TargetProfileUpdate.Http;

/// <summary>Reads <c>Retry-After</c> in both of its forms: delta seconds and HTTP-date.</summary>
internal static class RetryAfterParser
{
    /// <summary>Returns the delay the response asks for, or <see langword="null"/> when absent or malformed.</summary>
    public static TimeSpan? Parse(HttpResponseMessage response, DateTimeOffset now)
    {
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter is null)
        {
            return null;
        }

        if (retryAfter.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? null : delta;
        }

        if (retryAfter.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }
}
