using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using TargetProfileUpdate.Http;

namespace TargetProfileUpdate.Privacy;

/// <summary>What the two Privacy Service requests share: the JSON read of an answer, the action parse and the 401/403 hint.</summary>
internal static class PrivacyAnswers
{
    public const string AuthHint = " Privacy Service needs the IMS credential's Developer Console project to include the Privacy Service API, and Privacy:ImsOrgId to be the credential's organization.";

    /// <summary>The answer as <typeparamref name="T"/>, or <see langword="null"/> when it is truncated or not that JSON.</summary>
    public static T? Read<T>(AttemptFacts facts, JsonTypeInfo<T> type)
        where T : class
    {
        if (facts.BodyTruncated)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(facts.Body, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static PrivacyAction? ParseAction(List<string?>? actions)
    {
        if (actions is null)
        {
            return null;
        }

        foreach (string? a in actions)
        {
            if (PrivacyJobAnswerReader.ParseAction(a) is { } parsed)
            {
                return parsed;
            }
        }

        return null;
    }
}
