using System.Text.Json.Serialization;

namespace TargetProfileUpdate.Authentication;

/// <summary>IMS's token answer: <c>{"access_token","token_type","expires_in"}</c> (seconds).</summary>
internal sealed class ImsTokenAnswer
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; set; }

    [JsonPropertyName("token_type")]
    public string? TokenType { get; set; }

    [JsonPropertyName("expires_in")]
    public double? ExpiresIn { get; set; }
}

/// <summary>The Admin API's profile token answer: <c>{"accessToken","tokenType","scope","expiresIn"}</c> (seconds, inferred).</summary>
internal sealed class AdminTokenAnswer
{
    [JsonPropertyName("accessToken")]
    public string? AccessToken { get; set; }

    [JsonPropertyName("tokenType")]
    public string? TokenType { get; set; }

    [JsonPropertyName("scope")]
    public string? Scope { get; set; }

    [JsonPropertyName("expiresIn")]
    public double? ExpiresIn { get; set; }
}

/// <summary>Source-generated JSON metadata (trimming- and AOT-safe).</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = false, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ImsTokenAnswer))]
[JsonSerializable(typeof(AdminTokenAnswer))]
internal sealed partial class AuthJsonContext : JsonSerializerContext;
