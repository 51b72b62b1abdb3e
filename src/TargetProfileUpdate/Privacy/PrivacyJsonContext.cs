using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TargetProfileUpdate.Privacy;

/// <summary>The body of <c>POST /data/core/privacy/jobs</c>, members in the documented order.</summary>
internal sealed class CreateJobsRequest
{
    [JsonPropertyName("companyContexts")]
    public required IReadOnlyList<CompanyContext> CompanyContexts { get; init; }

    [JsonPropertyName("users")]
    public required IReadOnlyList<PrivacyUser> Users { get; init; }

    [JsonPropertyName("include")]
    public required IReadOnlyList<string> Include { get; init; }

    [JsonPropertyName("regulation")]
    public required string Regulation { get; init; }
}

/// <summary>A company context: <c>{"namespace":"imsOrgID","value":…}</c>.</summary>
internal sealed class CompanyContext
{
    [JsonPropertyName("namespace")]
    public required string Namespace { get; init; }

    [JsonPropertyName("value")]
    public required string Value { get; init; }
}

/// <summary>One person of a job request: a derived key, the actions, and the person's ids.</summary>
internal sealed class PrivacyUser
{
    [JsonPropertyName("key")]
    public required string Key { get; init; }

    [JsonPropertyName("action")]
    public required IReadOnlyList<string> Action { get; init; }

    [JsonPropertyName("userIDs")]
    public required IReadOnlyList<PrivacyUserId> UserIds { get; init; }
}

/// <summary>One id of a person: <c>{"namespace":"THIRDPARTYID","value":…,"type":"target"}</c>.</summary>
internal sealed class PrivacyUserId
{
    [JsonPropertyName("namespace")]
    public required string Namespace { get; init; }

    [JsonPropertyName("value")]
    public required string Value { get; init; }

    [JsonPropertyName("type")]
    public required string Type { get; init; }
}

/// <summary>The answer to a job request: one job per user and action.</summary>
internal sealed class CreateJobsAnswer
{
    [JsonPropertyName("jobs")]
    public List<CreatedJob?>? Jobs { get; set; }

    [JsonPropertyName("requestStatus")]
    public JsonElement? RequestStatus { get; set; }

    [JsonPropertyName("totalRecords")]
    public JsonElement? TotalRecords { get; set; }
}

/// <summary>One created job: <c>{"jobId", "customer":{"user":{"key","action":[…]}}}</c>.</summary>
internal sealed class CreatedJob
{
    [JsonPropertyName("jobId")]
    public string? JobId { get; set; }

    [JsonPropertyName("customer")]
    public CreatedJobCustomer? Customer { get; set; }
}

/// <summary>The customer part of a created job.</summary>
internal sealed class CreatedJobCustomer
{
    [JsonPropertyName("user")]
    public CreatedJobUser? User { get; set; }
}

/// <summary>The user part of a created job.</summary>
internal sealed class CreatedJobUser
{
    [JsonPropertyName("key")]
    public string? Key { get; set; }

    [JsonPropertyName("action")]
    public List<string?>? Action { get; set; }
}

/// <summary>The answer of <c>GET /data/core/privacy/jobs/{jobId}</c>; unknown fields are ignored.</summary>
internal sealed class JobAnswer
{
    [JsonPropertyName("jobId")]
    public string? JobId { get; set; }

    [JsonPropertyName("userKey")]
    public string? UserKey { get; set; }

    [JsonPropertyName("action")]
    public string? Action { get; set; }

    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonPropertyName("regulation")]
    public string? Regulation { get; set; }

    [JsonPropertyName("createdDate")]
    public JsonElement? CreatedDate { get; set; }

    [JsonPropertyName("lastModifiedDate")]
    public JsonElement? LastModifiedDate { get; set; }

    [JsonPropertyName("downloadURL")]
    public string? DownloadUrl { get; set; }

    [JsonPropertyName("productResponses")]
    public List<ProductResponseAnswer?>? ProductResponses { get; set; }

    [JsonPropertyName("userIds")]
    public List<JobUserIdAnswer?>? UserIds { get; set; }
}

/// <summary>One id of a job's person, as the status answer lists it (read only to mask it in Target's message).</summary>
internal sealed class JobUserIdAnswer
{
    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    [JsonPropertyName("value")]
    public string? Value { get; set; }
}

/// <summary>One product's part of a job.</summary>
internal sealed class ProductResponseAnswer
{
    [JsonPropertyName("product")]
    public string? Product { get; set; }

    [JsonPropertyName("processedDate")]
    public JsonElement? ProcessedDate { get; set; }

    [JsonPropertyName("productStatusResponse")]
    public ProductStatusAnswer? ProductStatusResponse { get; set; }
}

/// <summary>A product's answer: status, message, code, detail and (for access jobs) results.</summary>
internal sealed class ProductStatusAnswer
{
    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonPropertyName("message")]
    public JsonElement? Message { get; set; }

    [JsonPropertyName("responseMsgCode")]
    public JsonElement? ResponseMsgCode { get; set; }

    [JsonPropertyName("responseMsgDetail")]
    public JsonElement? ResponseMsgDetail { get; set; }

    [JsonPropertyName("results")]
    public JsonElement? Results { get; set; }
}

/// <summary>Source-generated (trimming- and AOT-safe) serialization of the Privacy Service shapes.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateJobsRequest))]
[JsonSerializable(typeof(CreateJobsAnswer))]
[JsonSerializable(typeof(JobAnswer))]
internal sealed partial class PrivacyJsonContext : JsonSerializerContext;
