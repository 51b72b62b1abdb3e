using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TargetProfileUpdate.Emulator.State;

namespace TargetProfileUpdate.Emulator.Endpoints;

/// <summary>
/// Adobe Privacy Service, as far as Target takes part: <c>POST /data/core/privacy/jobs</c> creates one job per user and
/// action, <c>GET /data/core/privacy/jobs/{jobId}</c> reports it, <c>GET …/{jobId}/content</c> returns an access job's data.
/// A deletion erases the profile once the job completes (after <see cref="TargetEmulatorOptions.PrivacyProcessingDelay"/>).
/// </summary>
internal static class PrivacyEndpoints
{
    /// <summary>The most users one request may carry (Adobe: 1,000).</summary>
    public const int MaxUsers = 1000;

    /// <summary>The most ids one user may carry (Adobe: 9).</summary>
    public const int MaxIdsPerUser = 9;

    private const string JobsPath = "/data/core/privacy/jobs";

    public static void Map(IEndpointRouteBuilder app, EmulatorState state, TargetEmulatorOptions options)
    {
        app.MapPost(JobsPath, (HttpContext context) => CreateJobsAsync(context, state, options));
        app.MapGet(JobsPath + "/{jobId}", (HttpContext context, string jobId) => GetJobAsync(context, jobId, state));
        app.MapGet(JobsPath + "/{jobId}/content", (HttpContext context, string jobId) => GetContentAsync(context, jobId, state));
    }

    private static async Task CreateJobsAsync(HttpContext context, EmulatorState state, TargetEmulatorOptions options)
    {
        var request = context.Request;
        string rawBody = await new StreamReader(request.Body, System.Text.Encoding.UTF8).ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        var fault = await Responses.ApplyFaultAsync(context, state, EmulatorFaultTarget.PrivacyJobs, rawBody).ConfigureAwait(false);
        if (fault.Answered || !await AllowsAsync(context, state, rawBody).ConfigureAwait(false))
        {
            return;
        }

        if (!(request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            await ErrorAsync(context, state, rawBody, 415, "unsupported-media-type", "Content-Type must be application/json").ConfigureAwait(false);
            return;
        }

        JsonNode? body;
        try
        {
            body = JsonNode.Parse(rawBody);
        }
        catch (JsonException)
        {
            body = null;
        }

        if (Parse(body as JsonObject, out var parsed) is { } problem)
        {
            await ErrorAsync(context, state, rawBody, 400, "bad-request", problem).ConfigureAwait(false);
            return;
        }

        var now = state.Now;
        var completeAt = now + state.Privacy.ProcessingDelay;
        string organization = options.ImsOrgId ?? request.Headers["x-gw-ims-org-id"].ToString();
        bool applicable = string.Equals(parsed.CompanyOrg, organization, StringComparison.Ordinal);
        string requestId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var jobs = new JsonArray();
        foreach (var user in parsed.Users)
        {
            var profiles = applicable ? FindProfiles(state, user.Ids) : [];
            foreach (string action in user.Actions)
            {
                var outcome = fault.Deferred is { Kind: EmulatorFaultKind.PrivacyJobFailed } ? PrivacyOutcome.Error
                    : !applicable ? PrivacyOutcome.CompanyContextNotApplicable
                    : profiles.Count == 0 ? PrivacyOutcome.UserContextNotFound
                    : PrivacyOutcome.Complete;
                JsonArray? results = null;
                if (parsed.IncludesTarget && outcome == PrivacyOutcome.Complete)
                {
                    if (action == "delete")
                    {
                        profiles.ForEach(p => EmulatorState.Erase(p, completeAt));
                    }
                    else
                    {
                        results = [.. profiles.Select(p => ProfileData(state.SnapshotAll(p)))];
                    }
                }

                var job = new EmulatedPrivacyJob
                {
                    JobId = Guid.NewGuid().ToString(),
                    RequestId = requestId,
                    UserKey = user.Key,
                    Action = action,
                    Regulation = parsed.Regulation,
                    CreatedAt = now,
                    CompleteAt = completeAt,
                    UserIds = user.Ids,
                    IncludesTarget = parsed.IncludesTarget,
                    Outcome = outcome,
                    ErrorMessage = fault.Deferred?.Body,
                    AccessResults = results,
                };
                state.Privacy.Add(job);
                jobs.Add(new JsonObject
                {
                    ["jobId"] = job.JobId,
                    ["customer"] = new JsonObject { ["user"] = new JsonObject { ["key"] = user.Key, ["action"] = new JsonArray(action) } },
                });
            }
        }

        var answer = new JsonObject { ["jobs"] = jobs, ["requestStatus"] = 1, ["totalRecords"] = jobs.Count };
        await Responses.AnswerJsonAsync(context, state, rawBody, 200, fault.Deferred is null ? "privacy-jobs-created" : "fault:privacy-job-failed", answer).ConfigureAwait(false);
    }

    private static async Task GetJobAsync(HttpContext context, string jobId, EmulatorState state)
    {
        if (!await AllowsAsync(context, state, string.Empty).ConfigureAwait(false))
        {
            return;
        }

        var now = state.Now;
        if (state.Privacy.Find(jobId, now) is not { } job)
        {
            await ErrorAsync(context, state, string.Empty, 404, "privacy-job-not-found", "No job found with jobId " + jobId + " (jobs are kept 30 days after completion)").ConfigureAwait(false);
            return;
        }

        await Responses.AnswerJsonAsync(context, state, string.Empty, 200, "privacy-job", Render(job, now, context)).ConfigureAwait(false);
    }

    private static async Task GetContentAsync(HttpContext context, string jobId, EmulatorState state)
    {
        if (!await AllowsAsync(context, state, string.Empty).ConfigureAwait(false))
        {
            return;
        }

        var now = state.Now;
        if (state.Privacy.Find(jobId, now) is not { Action: "access" } job || !job.IsComplete(now) || job.AccessResults is null)
        {
            await ErrorAsync(context, state, string.Empty, 404, "privacy-content-not-found", "No access data for jobId " + jobId).ConfigureAwait(false);
            return;
        }

        var content = new JsonObject { ["jobId"] = job.JobId, ["Target"] = new JsonObject { ["profiles"] = job.AccessResults.DeepClone() } };
        await Responses.AnswerJsonAsync(context, state, string.Empty, 200, "privacy-content", content).ConfigureAwait(false);
    }

    /// <summary>The header checks of the Privacy Service: IMS token (401), <c>x-api-key</c> (403), <c>x-gw-ims-org-id</c> (400 missing, 403 another org).</summary>
    private static async Task<bool> AllowsAsync(HttpContext context, EmulatorState state, string rawBody)
    {
        var request = context.Request;
        if (!ImsAuthorization.HasImsToken(request, state))
        {
            await ErrorAsync(context, state, rawBody, 401, "unauthorized", "Oauth token is not valid: send Authorization: Bearer {IMS access token}").ConfigureAwait(false);
            return false;
        }

        if (!ImsAuthorization.HasApiKey(request, state))
        {
            await ErrorAsync(context, state, rawBody, 403, "forbidden", "Api Key is invalid: send x-api-key: {client id}").ConfigureAwait(false);
            return false;
        }

        string org = request.Headers["x-gw-ims-org-id"].ToString();
        if (org.Length == 0)
        {
            await ErrorAsync(context, state, rawBody, 400, "bad-request", "The x-gw-ims-org-id header is required").ConfigureAwait(false);
            return false;
        }

        if (state.ImsOrgId is { } expected && !string.Equals(org, expected, StringComparison.Ordinal))
        {
            await ErrorAsync(context, state, rawBody, 403, "forbidden", "The credential is not allowed to access this organization").ConfigureAwait(false);
            return false;
        }

        return true;
    }

    private sealed record ParsedUser(string Key, IReadOnlyList<string> Actions, IReadOnlyList<PrivacyUserId> Ids);

    private sealed record ParsedRequest(string CompanyOrg, IReadOnlyList<ParsedUser> Users, bool IncludesTarget, string Regulation);

    /// <summary>Checks the documented shape; returns what is wrong, or null.</summary>
    private static string? Parse(JsonObject? body, out ParsedRequest parsed)
    {
        parsed = new ParsedRequest(string.Empty, [], false, string.Empty);
        if (body is null)
        {
            return "The body must be a JSON object with companyContexts, users, include and regulation";
        }

        string? org = (body["companyContexts"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(c => Text(c["namespace"]) == "imsOrgID")?["value"] is { } value ? Text(value) : null;
        if (string.IsNullOrEmpty(org))
        {
            return "companyContexts must include {\"namespace\":\"imsOrgID\",\"value\":\"{IMS org id}\"}";
        }

        if (body["users"] is not JsonArray users || users.Count == 0 || users.Count > MaxUsers)
        {
            return string.Create(CultureInfo.InvariantCulture, $"users must hold between 1 and {MaxUsers} users");
        }

        var parsedUsers = new List<ParsedUser>(users.Count);
        for (int i = 0; i < users.Count; i++)
        {
            if (users[i] is not JsonObject user || Text(user["key"]) is not { Length: > 0 } key)
            {
                return string.Create(CultureInfo.InvariantCulture, $"users[{i}].key is required");
            }

            var actions = (user["action"] as JsonArray)?.Select(Text).ToList();
            if (actions is null || actions.Count == 0 || actions.Any(a => a is not ("access" or "delete")))
            {
                return string.Create(CultureInfo.InvariantCulture, $"users[{i}].action must list access and/or delete");
            }

            if (user["userIDs"] is not JsonArray ids || ids.Count == 0 || ids.Count > MaxIdsPerUser)
            {
                return string.Create(CultureInfo.InvariantCulture, $"users[{i}].userIDs must hold between 1 and {MaxIdsPerUser} ids");
            }

            var parsedIds = new List<PrivacyUserId>(ids.Count);
            foreach (var id in ids)
            {
                if (id is not JsonObject idObject || Text(idObject["namespace"]) is not { Length: > 0 } ns || Text(idObject["value"]) is not { Length: > 0 } idValue)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"users[{i}].userIDs: every id needs a namespace and a value");
                }

                parsedIds.Add(new PrivacyUserId(ns, idValue, Text(idObject["type"]) ?? "standard"));
            }

            parsedUsers.Add(new ParsedUser(key, actions.Distinct().ToList()!, parsedIds));
        }

        var include = (body["include"] as JsonArray)?.Select(Text).ToList();
        if (include is null || include.Count == 0)
        {
            return "include must name the products, for example [\"Target\"]";
        }

        if (Text(body["regulation"]) is not { Length: > 0 } regulation)
        {
            return "regulation is required, for example gdpr or ccpa";
        }

        parsed = new ParsedRequest(org, parsedUsers, include.Contains("Target", StringComparer.OrdinalIgnoreCase), regulation);
        return null;
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    /// <summary>The profiles the ids name: <c>TNTID</c> and <c>ECID</c> with type <c>standard</c>, <c>THIRDPARTYID</c> with type <c>target</c>.</summary>
    private static List<object> FindProfiles(EmulatorState state, IReadOnlyList<PrivacyUserId> ids)
    {
        var found = new List<object>();
        foreach (var id in ids)
        {
            PrivacyIdKind? kind = (id.Namespace.ToUpperInvariant(), id.Type.ToLowerInvariant()) switch
            {
                ("TNTID", "standard") => PrivacyIdKind.PcId,
                ("ECID", "standard") => PrivacyIdKind.Ecid,
                ("THIRDPARTYID", "target") => PrivacyIdKind.ThirdPartyId,
                _ => null,
            };
            if (kind is { } k && state.FindExisting(k, id.Value) is { } profile && !found.Contains(profile))
            {
                found.Add(profile);
            }
        }

        return found;
    }

    private static JsonObject ProfileData(EmulatedProfile profile)
    {
        var attributes = new JsonObject();
        foreach (var (name, value) in profile.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            attributes[name] = value.Value;
        }

        return new JsonObject
        {
            ["tntId"] = profile.PcId,
            ["thirdPartyId"] = profile.ThirdPartyId,
            ["marketingCloudVisitorId"] = profile.MarketingCloudVisitorId,
            ["profileAttributes"] = attributes,
        };
    }

    private static JsonObject Render(EmulatedPrivacyJob job, DateTimeOffset now, HttpContext context)
    {
        bool complete = job.IsComplete(now);
        string status = !complete ? "processing" : job.Outcome == PrivacyOutcome.Error ? "error" : "complete";
        var userIds = new JsonArray();
        foreach (var id in job.UserIds)
        {
            userIds.Add(new JsonObject { ["namespace"] = id.Namespace, ["value"] = id.Value, ["type"] = id.Type, ["isDeletedClientSide"] = false });
        }

        var products = new JsonArray();
        if (job.IncludesTarget)
        {
            var (productStatus, message, code) = !complete
                ? ("processing", "Processing", "processing")
                : job.Outcome switch
                {
                    PrivacyOutcome.Complete => ("complete", job.Action == "delete" ? "Profile deleted" : "Profile data returned", "success"),
                    PrivacyOutcome.UserContextNotFound => ("complete", "user context not found", "userContextNotFound"),
                    PrivacyOutcome.CompanyContextNotApplicable => ("complete", "company context not applicable", "companyContextNotApplicable"),
                    _ => ("error", job.ErrorMessage ?? "Target could not process the request", "error"),
                };
            var response = new JsonObject
            {
                ["status"] = productStatus,
                ["message"] = message,
                ["responseMsgCode"] = code,
                ["responseMsgDetail"] = message,
            };
            if (complete && job.AccessResults is { } results)
            {
                response["results"] = new JsonObject { ["profiles"] = results.DeepClone() };
            }

            var product = new JsonObject { ["product"] = "Target", ["retryCount"] = 0 };
            if (complete)
            {
                product["processedDate"] = Date(job.CompleteAt);
            }

            product["productStatusResponse"] = response;
            products.Add(product);
        }

        var json = new JsonObject
        {
            ["jobId"] = job.JobId,
            ["requestId"] = job.RequestId,
            ["userKey"] = job.UserKey,
            ["action"] = job.Action,
            ["status"] = status,
            ["createdDate"] = Date(job.CreatedAt),
            ["lastModifiedDate"] = Date(complete ? job.CompleteAt : job.CreatedAt),
            ["userIds"] = userIds,
            ["productResponses"] = products,
            ["regulation"] = job.Regulation,
        };
        if (complete && job.AccessResults is not null)
        {
            json["downloadURL"] = string.Create(CultureInfo.InvariantCulture, $"{context.Request.Scheme}://{context.Request.Host}{JobsPath}/{job.JobId}/content");
        }

        return json;
    }

    /// <summary>The Privacy Service's date format, for example <c>04/12/2024 04:08 PM GMT</c>.</summary>
    private static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("MM/dd/yyyy hh:mm tt 'GMT'", CultureInfo.InvariantCulture);

    /// <summary>A gateway-style error: <c>{"error_code","message"}</c> (the exact shape is not documented: inferred).</summary>
    private static Task ErrorAsync(HttpContext context, EmulatorState state, string rawBody, int status, string outcome, string message) =>
        Responses.AnswerJsonAsync(context, state, rawBody, status, outcome, new JsonObject
        {
            ["error_code"] = status.ToString(CultureInfo.InvariantCulture),
            ["message"] = message,
        });
}
