using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using TargetProfileUpdate.Http;

namespace TargetProfileUpdate.Fetch;

/// <summary>Reads the Profile Fetch API's JSON answer (the current shape and the legacy one) into a <see cref="TargetProfile"/>.</summary>
internal static class ProfileAnswerReader
{
    /// <summary>Reads a 200 answer, or throws an <see cref="ProfileApiFailureReason.UnexpectedAnswer"/> failure.</summary>
    public static TargetProfile Read(ProfileId id, int status, AttemptFacts facts)
    {
        ProfileAnswer? answer;
        try
        {
            answer = JsonSerializer.Deserialize(facts.Body, FetchJsonContext.Default.ProfileAnswer);
        }
        catch (JsonException)
        {
            answer = null;
        }

        if (answer is null)
        {
            throw ProfileApiFailures.Create(ProfileApiEndpoint.Fetch, ProfileApiFailureReason.UnexpectedAnswer, "The profile answer was not the expected JSON; it was not read.", status, attempts: facts.Attempts);
        }

        var attributes = new Dictionary<string, ProfileAttribute>(answer.ProfileAttributes?.Count ?? 0, StringComparer.Ordinal);
        if (answer.ProfileAttributes is { } source)
        {
            foreach (var (name, attribute) in source)
            {
                if (attribute?.Value is { } value && Text(value) is { } text)
                {
                    attributes[name] = new ProfileAttribute(text, Timestamp(attribute.ModifiedAt));
                }
            }
        }

        // Adobe documents visitorId as a string: the profile's TNT id, which is its PC id. An undocumented object shape
        // { tntId, thirdPartyId, marketingCloudVisitorId } and legacy top-level mboxPC / thirdPartyId are read too.
        string? visitorId = Text(answer.VisitorId);
        string? thirdPartyId = Text(answer.ThirdPartyId);
        string? pcId = Text(answer.PcId);
        if (answer.VisitorId is { ValueKind: JsonValueKind.Object } visitor)
        {
            pcId ??= Member(visitor, "tntId");
            thirdPartyId ??= Member(visitor, "thirdPartyId");
            visitorId = pcId;
        }
        else
        {
            pcId ??= visitorId;
        }

        // The id the profile was asked for is its id of that kind, whatever the answer's shape left out.
        if (id.Kind == ProfileIdKind.ThirdPartyId)
        {
            thirdPartyId ??= id.Value;
        }
        else if (id.Kind == ProfileIdKind.PcId)
        {
            pcId ??= id.Value;
        }

        return new TargetProfile(id, attributes, visitorId, thirdPartyId, pcId, Timestamp(answer.ModifiedAt));
    }

    private static string? Member(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? Text(value) : null;

    /// <summary>A JSON value as text: strings as they are, numbers and booleans as written; null for null or structures.</summary>
    private static string? Text(JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.String } e => e.GetString(),
        { ValueKind: JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } e => e.GetRawText(),
        _ => null,
    };

    /// <summary>ISO-8601 with or without an offset (legacy answers have none: read as UTC), or Unix milliseconds.</summary>
    private static DateTimeOffset? Timestamp(JsonElement? element)
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
