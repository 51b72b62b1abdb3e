using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TargetProfileUpdate.Fetch;

/// <summary>The fetch answer, current and legacy shapes in one: unknown fields are ignored, loose values kept as JSON.</summary>
internal sealed class ProfileAnswer
{
    [JsonPropertyName("client")]
    public string? Client { get; set; }

    [JsonPropertyName("visitorId")]
    public JsonElement? VisitorId { get; set; }

    [JsonPropertyName("thirdPartyId")]
    public JsonElement? ThirdPartyId { get; set; }

    [JsonPropertyName("mboxPC")]
    public JsonElement? PcId { get; set; }

    [JsonPropertyName("modifiedAt")]
    public JsonElement? ModifiedAt { get; set; }

    /// <summary>Adobe's error body (<c>{"status":404,"message":…}</c>); a profile has none.</summary>
    [JsonPropertyName("status")]
    public JsonElement? Status { get; set; }

    [JsonPropertyName("profileAttributes")]
    public Dictionary<string, AttributeAnswer?>? ProfileAttributes { get; set; }
}

/// <summary>One attribute of the fetch answer.</summary>
internal sealed class AttributeAnswer
{
    [JsonPropertyName("value")]
    public JsonElement? Value { get; set; }

    [JsonPropertyName("modifiedAt")]
    public JsonElement? ModifiedAt { get; set; }
}

/// <summary>Source-generated JSON metadata (trimming- and AOT-safe).</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(ProfileAnswer))]
internal sealed partial class FetchJsonContext : JsonSerializerContext;
