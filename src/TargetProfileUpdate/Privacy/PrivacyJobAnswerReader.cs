using System;
using System.Collections.Generic;
using System.Text.Json;
using TargetProfileUpdate.Http;

namespace TargetProfileUpdate.Privacy;

/// <summary>Turns a job status answer into a <see cref="PrivacyJobStatus"/>: states from fixed sets, Target's answer classified,
/// the job's own ids masked in Target's texts, an access result's attribute names kept (never their values).</summary>
internal static class PrivacyJobAnswerReader
{
    public static PrivacyJobStatus ToStatus(string requestedJobId, JobAnswer answer)
    {
        var state = ParseState(answer.Status);
        ProductResponseAnswer? target = null;
        if (answer.ProductResponses is { } products)
        {
            foreach (var product in products)
            {
                if (product?.Product is { } name && name.Equals("Target", StringComparison.OrdinalIgnoreCase))
                {
                    target = product;
                    break;
                }
            }
        }

        var secrets = Secrets(answer);
        var response = target?.ProductStatusResponse;
        string? message = Mask(Text(response?.Message), secrets);
        string? code = Mask(Text(response?.ResponseMsgCode), secrets);
        string? detail = Mask(Text(response?.ResponseMsgDetail), secrets);
        var outcome = Classify(state, response?.Status, message, code, detail);
        Uri? download = answer.DownloadUrl is { Length: > 0 } url && Uri.TryCreate(url, UriKind.Absolute, out var parsed) ? parsed : null;
        return new PrivacyJobStatus(
            answer.JobId is { Length: > 0 } id ? id : requestedJobId,
            state,
            outcome,
            statusText: answer.Status ?? "unknown",
            action: ParseAction(answer.Action),
            userKey: answer.UserKey,
            regulation: answer.Regulation,
            targetMessage: message,
            targetResponseCode: code,
            targetResponseDetail: detail,
            downloadUrl: download,
            attributeNames: AttributeNames(response?.Results),
            lastModified: Timestamp(answer.LastModifiedDate));
    }

    public static PrivacyAction? ParseAction(string? action) => action?.ToLowerInvariant() switch
    {
        "delete" => PrivacyAction.Delete,
        "access" => PrivacyAction.Access,
        _ => null,
    };

    public static PrivacyJobState ParseState(string? status) => status?.ToLowerInvariant() switch
    {
        "submitted" => PrivacyJobState.Submitted,
        "processing" => PrivacyJobState.Processing,
        "complete" or "completed" => PrivacyJobState.Complete,
        "error" => PrivacyJobState.Error,
        _ => PrivacyJobState.Unknown,
    };

    /// <summary>
    /// Target's answer: "user context not found" and "company context not applicable" are outcomes of their own whatever the
    /// status says (an unknown person is not an error); otherwise the product's status, or the job's when Target has none.
    /// </summary>
    public static PrivacyTargetOutcome Classify(PrivacyJobState jobState, string? productStatus, string? message, string? code, string? detail)
    {
        string text = string.Join(' ', message, code, detail).ToLowerInvariant().Replace('_', ' ');
        if (text.Contains("not found", StringComparison.Ordinal))
        {
            return PrivacyTargetOutcome.NotFound;
        }

        if (text.Contains("not applicable", StringComparison.Ordinal))
        {
            return PrivacyTargetOutcome.NotApplicable;
        }

        switch (productStatus?.ToLowerInvariant())
        {
            case "complete" or "completed" or "success" or "processed":
                return PrivacyTargetOutcome.Complete;
            case "error" or "failed" or "failure":
                return PrivacyTargetOutcome.Error;
            case null when jobState == PrivacyJobState.Error:
                return PrivacyTargetOutcome.Error;
            default:
                return PrivacyTargetOutcome.Pending;
        }
    }

    /// <summary>
    /// The attribute names of an access result, read leniently: an object of attributes (<c>{"attributes":{name:…}}</c>,
    /// <c>{"profileAttributes":{…}}</c>, <c>{"profiles":[{"profileAttributes":{…}}]}</c>, or the names at the top), or a list of
    /// names, of <c>{"name":…}</c> or of profiles. Values are dropped.
    /// </summary>
    public static List<string> AttributeNames(JsonElement? results)
    {
        var names = new List<string>();
        if (results is not { } element)
        {
            return names;
        }

        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (string member in (ReadOnlySpan<string>)["attributes", "profileAttributes", "profile", "profiles"])
            {
                if (element.TryGetProperty(member, out var inner) && inner.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                {
                    return AttributeNames(inner);
                }
            }

            foreach (var property in element.EnumerateObject())
            {
                names.Add(property.Name);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && item.GetString() is { } name)
                {
                    names.Add(name);
                }
                else if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String && n.GetString() is { } named)
                {
                    names.Add(named);
                }
                else if (item.ValueKind == JsonValueKind.Object)
                {
                    // A list of profiles (one person may have several): the union of their attribute names.
                    foreach (string inner in AttributeNames(item))
                    {
                        if (!names.Contains(inner))
                        {
                            names.Add(inner);
                        }
                    }
                }
            }
        }

        return names;
    }

    private static List<string> Secrets(JobAnswer answer)
    {
        var secrets = new List<string>();
        if (answer.UserIds is { } ids)
        {
            foreach (var id in ids)
            {
                if (id?.Value is { Length: > 0 } value)
                {
                    secrets.Add(value);
                    string escaped = Uri.EscapeDataString(value);
                    if (!escaped.Equals(value, StringComparison.Ordinal))
                    {
                        secrets.Add(escaped);
                    }
                }
            }
        }

        if (answer.UserKey is { Length: > 0 } key)
        {
            secrets.Add(key);
        }

        return secrets;
    }

    private static string? Mask(string? text, List<string> secrets)
    {
        if (text is null)
        {
            return null;
        }

        foreach (string secret in secrets)
        {
            text = text.Replace(secret, "***", StringComparison.OrdinalIgnoreCase);
        }

        return text;
    }

    private static string? Text(JsonElement? element) => JsonValues.Text(element);

    private static DateTimeOffset? Timestamp(JsonElement? element) => JsonValues.Timestamp(element);
}
