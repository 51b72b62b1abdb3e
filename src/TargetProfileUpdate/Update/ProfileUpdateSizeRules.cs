using System;
using System.Globalization;
using System.Net.Http;
using Microsoft.Extensions.Logging;
using TargetProfileUpdate.Diagnostics;
using TargetProfileUpdate.Encoding;

namespace TargetProfileUpdate;

/// <summary>
/// The one place that decides how an update is sent and whether it may be: GET when the whole URL fits
/// <see cref="TargetProfileUpdateOptions.MaxGetRequestBytes"/>, else a form POST when the body fits
/// <see cref="TargetProfileUpdateOptions.MaxPostRequestBytes"/>, else <see cref="ProfileUpdateTooLargeException"/> before
/// anything is sent. <see cref="ProfileUpdateClient"/> and the Testing package's fake both call it, so the fake refuses
/// exactly what the client refuses and reports the same method and bytes.
/// </summary>
internal static class ProfileUpdateSizeRules
{
    /// <summary>The update endpoint's URL without its query: <c>{base}m2/{clientCode}/profile/update</c>.</summary>
    /// <param name="baseAddress">The effective base address (ends with <c>/</c>).</param>
    /// <param name="clientCode">The client code.</param>
    /// <returns>The URL.</returns>
    public static string UpdateUrl(Uri baseAddress, string clientCode) => baseAddress.AbsoluteUri + "m2/" + clientCode + "/profile/update";

    /// <summary>Chooses the method for <paramref name="update"/> and its size on the wire, or throws when it fits no method.</summary>
    /// <param name="update">The update (at least one attribute).</param>
    /// <param name="updateUrlLength">The length of <see cref="UpdateUrl"/> (ASCII: bytes).</param>
    /// <param name="method">The configured method.</param>
    /// <param name="maxGetBytes">The GET limit: the whole URL.</param>
    /// <param name="maxPostBytes">The POST limit: the form body.</param>
    /// <param name="logger">Where a refusal is logged (sizes and limits only).</param>
    /// <returns>The method, and the bytes the request carries: the whole URL for GET, the body for POST.</returns>
    /// <exception cref="ProfileUpdateTooLargeException">The update fits no allowed method. Nothing is sent.</exception>
    public static (HttpMethod Method, int Bytes) Choose(ProfileUpdate update, int updateUrlLength, ProfileUpdateMethod method, int maxGetBytes, int maxPostBytes, ILogger logger)
    {
        long formBytes = ProfileUpdateEncoder.GetFormLength(update);
        long urlBytes = updateUrlLength + 1 + formBytes;
        switch (method)
        {
            case ProfileUpdateMethod.Get when urlBytes > maxGetBytes:
                throw TooLarge("GET", urlBytes, maxGetBytes, "its URL would be", logger);
            case ProfileUpdateMethod.Get:
                return (HttpMethod.Get, (int)urlBytes);
            case ProfileUpdateMethod.Post when formBytes > maxPostBytes:
                throw TooLarge("POST", formBytes, maxPostBytes, "its body would be", logger);
            case ProfileUpdateMethod.Post:
                return (HttpMethod.Post, (int)formBytes);
            default:
                if (urlBytes <= maxGetBytes)
                {
                    return (HttpMethod.Get, (int)urlBytes);
                }

                if (formBytes <= maxPostBytes)
                {
                    return (HttpMethod.Post, (int)formBytes);
                }

                throw TooLarge("POST", formBytes, maxPostBytes, string.Create(
                    CultureInfo.InvariantCulture, $"its URL would be {urlBytes} bytes (GET limit {maxGetBytes}) and its body"), logger);
        }
    }

    private static ProfileUpdateTooLargeException TooLarge(string method, long actual, int limit, string what, ILogger logger)
    {
        int reported = (int)Math.Min(actual, int.MaxValue);
        Log.TooLarge(logger, method, reported, limit);
        return new ProfileUpdateTooLargeException(
            string.Create(CultureInfo.InvariantCulture,
                $"The profile update is too large: {what} {actual} bytes, over the {method} limit of {limit} bytes. Nothing was sent; split the attributes into several updates of the same profile."),
            reported,
            limit);
    }
}
