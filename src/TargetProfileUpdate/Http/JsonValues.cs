using System;
using System.Globalization;
using System.Text.Json;

namespace TargetProfileUpdate.Http;

/// <summary>The one lenient reading of JSON scalars that Adobe's answers use, shared by the endpoints' answer readers.</summary>
internal static class JsonValues
{
    /// <summary>A JSON value as text: strings as they are, numbers and booleans as written; null for null or structures.</summary>
    public static string? Text(JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.String } e => e.GetString(),
        { ValueKind: JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } e => e.GetRawText(),
        _ => null,
    };

    /// <summary>ISO-8601 with or without an offset (legacy answers have none: read as UTC), or Unix milliseconds.</summary>
    public static DateTimeOffset? Timestamp(JsonElement? element)
    {
        if (element is { ValueKind: JsonValueKind.Number } number && number.TryGetInt64(out long ms))
        {
            return ms is > -62135596800000 and < 253402300800000 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        }

        return element is { ValueKind: JsonValueKind.String } text
            && DateTimeOffset.TryParse(text.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : null;
    }
}
