using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using TargetProfileUpdate.Http;

namespace TargetProfileUpdate.Fetch;

/// <summary>Reads the Profile Fetch API's JSON answer (the current shape and the legacy one) into a <see cref="TargetProfile"/>.</summary>
internal static class ProfileAnswerReader
{
    /// <summary>
    /// Reads a 200 answer: a profile; <see langword="null"/> for Adobe's not-found body (<c>{"status":404,"message":…}</c>)
    /// sent with a 200; otherwise throws an <see cref="ProfileApiFailureReason.UnexpectedAnswer"/> failure. A profile
    /// answer must carry a visitor id (<c>visitorId</c>, <c>mboxPC</c> or <c>thirdPartyId</c>) or a
    /// <c>profileAttributes</c> object, and every attribute must have a string, number or boolean <c>value</c>: an
    /// object, an array, null or a missing value refuses the whole answer (Adobe documents string values only), so an
    /// attribute is never silently left out. A UTF-8 byte order mark is accepted.
    /// </summary>
    public static TargetProfile? Read(ProfileId id, int status, AttemptFacts facts)
    {
        var body = facts.Body;
        if (body.StartsWith(Utf8Bom))
        {
            body = body[Utf8Bom.Length..];
        }

        ProfileAnswer? answer;
        try
        {
            answer = JsonSerializer.Deserialize(body, FetchJsonContext.Default.ProfileAnswer);
        }
        catch (JsonException)
        {
            answer = null;
        }

        if (answer is null)
        {
            throw Unexpected("The profile answer was not the expected JSON; it was not read.", status, facts);
        }

        bool hasProfile = answer.ProfileAttributes is not null || HasValue(answer.VisitorId) || HasValue(answer.PcId) || HasValue(answer.ThirdPartyId);
        if (!hasProfile)
        {
            // Adobe's not-found body with a 200 (a gateway that rewrote the status): no profile, as a 404 is.
            if (answer.Status is { ValueKind: JsonValueKind.Number } code && code.TryGetInt32(out int said) && said == 404)
            {
                return null;
            }

            throw Unexpected(
                // Only an HTTP-like status is quoted: any other number the server wrote could be an echoed numeric id.
                answer.Status is { ValueKind: JsonValueKind.Number } other && other.TryGetInt32(out int code2) && code2 is >= 100 and <= 599
                    ? string.Create(CultureInfo.InvariantCulture, $"The profile answer (HTTP {status}) is an error object with status {code2}, not a profile; it was not read.")
                    : "The profile answer carries no profile (no visitorId, mboxPC, thirdPartyId or profileAttributes); it was not read as an empty profile.",
                status,
                facts);
        }

        var attributes = new Dictionary<string, ProfileAttribute>(answer.ProfileAttributes?.Count ?? 0, StringComparer.Ordinal);
        int unreadable = 0;
        if (answer.ProfileAttributes is { } source)
        {
            foreach (var (name, attribute) in source)
            {
                if (attribute?.Value is { } value && Text(value) is { } text)
                {
                    attributes[name] = new ProfileAttribute(text, Timestamp(attribute.ModifiedAt));
                }
                else
                {
                    unreadable++;
                }
            }
        }

        if (unreadable > 0)
        {
            // Never names the attributes or shows their values: the count and the rule are enough to find them.
            throw Unexpected(
                string.Create(CultureInfo.InvariantCulture, $"The profile answer has {unreadable} attribute(s) whose value is not a string, a number or a boolean (an object, an array, null or no value); the answer was refused rather than read without them."),
                status,
                facts);
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

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static ProfileApiException Unexpected(string message, int status, AttemptFacts facts) =>
        ProfileApiFailures.Create(ProfileApiEndpoint.Fetch, ProfileApiFailureReason.UnexpectedAnswer, message, status, attempts: facts.Attempts);

    private static bool HasValue(JsonElement? element) => element is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) };

    private static string? Member(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? Text(value) : null;

    private static string? Text(JsonElement? element) => JsonValues.Text(element);

    private static DateTimeOffset? Timestamp(JsonElement? element) => JsonValues.Timestamp(element);
}
