using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TargetProfileUpdate.Emulator.State;

namespace TargetProfileUpdate.Emulator.Endpoints;

/// <summary>The documented profile endpoints: single profile update (GET and POST) and profile fetch.</summary>
internal static class ProfileEndpoints
{
    public const string Success = "trueRequest successfully submitted";

    private const string FetchPrefix = "/rest/v1/profiles/";

    private enum IdKind
    {
        TntId,
        ThirdPartyId,
        MarketingCloudVisitorId,
    }

    public static void Map(IEndpointRouteBuilder app, EmulatorState state, TargetEmulatorOptions options)
    {
        app.MapMethods("/m2/{clientCode}/profile/update", ["GET", "POST"], (HttpContext context, string clientCode) => UpdateAsync(context, clientCode, state, options));
        app.MapGet(FetchPrefix + "{**rest}", (HttpContext context) => FetchAsync(context, state, options));
    }

    private static async Task UpdateAsync(HttpContext context, string clientCode, EmulatorState state, TargetEmulatorOptions options)
    {
        var request = context.Request;
        string rawBody = string.Empty;
        bool isPost = HttpMethods.IsPost(request.Method);

        if (isPost)
        {
            var (body, tooLarge) = await ReadBodyAsync(request, options.MaxPostRequestBytes).ConfigureAwait(false);
            if (tooLarge)
            {
                await AnswerAsync(context, state, "(over the limit; not kept)", 413, "body-too-large", "falseRequest body too large").ConfigureAwait(false);
                return;
            }

            rawBody = body;
        }

        if ((await Responses.ApplyFaultAsync(context, state, EmulatorFaultTarget.Profile, rawBody).ConfigureAwait(false)).Answered)
        {
            return;
        }

        if (!Responses.Authorized(request, state))
        {
            await AnswerAsync(context, state, rawBody, 403, "forbidden", "Forbidden").ConfigureAwait(false);
            return;
        }

        if (!string.Equals(clientCode, options.ClientCode, StringComparison.Ordinal))
        {
            await AnswerAsync(context, state, rawBody, 404, "unknown-client", "falseUnknown client code").ConfigureAwait(false);
            return;
        }

        if (!isPost)
        {
            int urlBytes = request.Scheme.Length + 3 + request.Host.Value!.Length + RequestRecorder.RawTarget(context).Length;
            if (urlBytes > options.MaxGetRequestBytes)
            {
                await AnswerAsync(context, state, rawBody, 414, "uri-too-long", "falseRequest URI too long").ConfigureAwait(false);
                return;
            }
        }

        // Servlet-style parameters: the query string, then (for a form POST) the body.
        var parameters = new List<KeyValuePair<string, string>>();
        AddParameters(parameters, request.QueryString.Value);
        if (isPost && (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            AddParameters(parameters, rawBody);
        }

        string? pcId = First(parameters, "mboxPC");
        string? thirdPartyId = First(parameters, "mbox3rdPartyId");
        if (string.IsNullOrEmpty(pcId) && string.IsNullOrEmpty(thirdPartyId))
        {
            await AnswerAsync(context, state, rawBody, 400, "bad-request", "falseMissing mboxPC or mbox3rdPartyId").ConfigureAwait(false);
            return;
        }

        if (!state.Quota.TryAcquire(out var retryAfter))
        {
            context.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            await AnswerAsync(context, state, rawBody, 429, "quota-exceeded", "falseQuota exceeded").ConfigureAwait(false);
            return;
        }

        var attributes = new List<KeyValuePair<string, string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in parameters)
        {
            if (name.StartsWith("profile.", StringComparison.Ordinal) && name.Length > 8 && seen.Add(name))
            {
                attributes.Add(new(name[8..], value));
            }
        }

        // Update only: an unknown profile is answered as a success and silently dropped, as Adobe does.
        var result = !string.IsNullOrEmpty(pcId)
            ? state.TryApply(byPcId: true, pcId, attributes)
            : state.TryApply(byPcId: false, thirdPartyId!, attributes);
        string outcome = result switch
        {
            ApplyResult.Applied => "applied",
            ApplyResult.ProfileTooLarge => "dropped-profile-too-large",
            _ => "dropped-unknown-profile",
        };
        await AnswerAsync(context, state, rawBody, 200, outcome, Success).ConfigureAwait(false);
    }

    private static async Task FetchAsync(HttpContext context, EmulatorState state, TargetEmulatorOptions options)
    {
        if ((await Responses.ApplyFaultAsync(context, state, EmulatorFaultTarget.Profile, string.Empty).ConfigureAwait(false)).Answered)
        {
            return;
        }

        if (!Responses.Authorized(context.Request, state))
        {
            await AnswerAsync(context, state, string.Empty, 403, "forbidden", "Forbidden").ConfigureAwait(false);
            return;
        }

        string client = context.Request.Query["client"].ToString();
        var (kind, id) = ParseFetchTarget(context);
        var profile = id is null || !string.Equals(client, options.ClientCode, StringComparison.Ordinal) ? null : kind switch
        {
            IdKind.ThirdPartyId => state.Find(byPcId: false, id),
            IdKind.MarketingCloudVisitorId => state.FindByEcid(id),
            _ => state.Find(byPcId: true, id),
        };
        if (profile is null)
        {
            string idName = kind switch
            {
                IdKind.ThirdPartyId => "third party id",
                IdKind.MarketingCloudVisitorId => "marketing cloud visitor id",
                _ => "tnt id",
            };
            var notFound = new JsonObject
            {
                ["status"] = 404,
                ["message"] = string.Create(CultureInfo.InvariantCulture, $"No profile found for client {client} with {idName}={id}"),
            };
            await Responses.AnswerJsonAsync(context, state, string.Empty, 404, "fetch-not-found", notFound).ConfigureAwait(false);
            return;
        }

        bool legacy = options.LegacyFetchShape;
        var attributes = new JsonObject();
        foreach (var (name, attribute) in profile.Attributes)
        {
            attributes[name] = new JsonObject { ["value"] = attribute.Value, ["modifiedAt"] = Timestamp(attribute.ModifiedAt, legacy) };
        }

        var json = legacy
            ? new JsonObject
            {
                ["client"] = options.ClientCode,
                ["mboxPC"] = profile.PcId,
                ["thirdPartyId"] = profile.ThirdPartyId,
                ["modifiedAt"] = Timestamp(profile.ModifiedAt, legacy),
                ["profileAttributes"] = attributes,
            }
            : new JsonObject
            {
                ["client"] = options.ClientCode,
                ["visitorId"] = new JsonObject
                {
                    ["tntId"] = profile.PcId,
                    ["thirdPartyId"] = profile.ThirdPartyId,
                    ["marketingCloudVisitorId"] = profile.MarketingCloudVisitorId,
                },
                ["modifiedAt"] = Timestamp(profile.ModifiedAt, legacy),
                ["profileAttributes"] = attributes,
            };
        await Responses.AnswerJsonAsync(context, state, string.Empty, 200, "fetch", json).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the id kind and the id from the raw request target: the id is one path segment, percent-decoded exactly
    /// once (so <c>%2F</c>, <c>%3F</c>, <c>%23</c>, <c>%25</c>, <c>%20</c> and UTF-8 arrive as <c>/</c>, <c>?</c>, <c>#</c>, <c>%</c>,
    /// a space and the character). A raw <c>/</c> inside the id finds no profile.
    /// </summary>
    private static (IdKind Kind, string? Id) ParseFetchTarget(HttpContext context)
    {
        string target = RequestRecorder.RawTarget(context);
        int end = target.AsSpan().IndexOfAny('?', '#');
        string path = end < 0 ? target : target[..end];
        int start = path.IndexOf(FetchPrefix, StringComparison.Ordinal);
        string rest = start < 0 ? string.Empty : path[(start + FetchPrefix.Length)..];

        var kind = IdKind.TntId;
        if (rest.StartsWith("thirdPartyId/", StringComparison.Ordinal))
        {
            (kind, rest) = (IdKind.ThirdPartyId, rest["thirdPartyId/".Length..]);
        }
        else if (rest.StartsWith("marketingCloudVisitorId/", StringComparison.Ordinal))
        {
            (kind, rest) = (IdKind.MarketingCloudVisitorId, rest["marketingCloudVisitorId/".Length..]);
        }

        return rest.Length == 0 || rest.Contains('/', StringComparison.Ordinal) ? (kind, null) : (kind, Uri.UnescapeDataString(rest));
    }

    private static Task AnswerAsync(HttpContext context, EmulatorState state, string rawBody, int status, string outcome, string body) =>
        Responses.AnswerAsync(context, state, rawBody, status, outcome, body);

    private static async Task<(string Body, bool TooLarge)> ReadBodyAsync(HttpRequest request, int limit)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(limit + 1);
        try
        {
            int total = 0;
            int read;
            while (total <= limit && (read = await request.Body.ReadAsync(buffer.AsMemory(total, limit + 1 - total)).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            if (total > limit)
            {
                await request.Body.CopyToAsync(Stream.Null).ConfigureAwait(false);
                return (string.Empty, true);
            }

            return (System.Text.Encoding.Latin1.GetString(buffer, 0, total), false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Parses <c>a=b&amp;c=d</c> as a servlet does (<c>+</c> is a space), keeping order and case of names.</summary>
    private static void AddParameters(List<KeyValuePair<string, string>> parameters, string? encoded)
    {
        if (string.IsNullOrEmpty(encoded))
        {
            return;
        }

        foreach (var pair in encoded.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            string name = eq < 0 ? pair : pair[..eq];
            string value = eq < 0 ? string.Empty : pair[(eq + 1)..];
            parameters.Add(new(Decode(name), Decode(value)));
        }
    }

    private static string Decode(string encoded) => Uri.UnescapeDataString(encoded.Replace('+', ' '));

    private static string? First(List<KeyValuePair<string, string>> parameters, string name)
    {
        foreach (var (key, value) in parameters)
        {
            if (string.Equals(key, name, StringComparison.Ordinal))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>ISO-8601 in UTC with <c>Z</c>; the legacy shape had no offset.</summary>
    private static string Timestamp(DateTimeOffset value, bool legacy) =>
        value.UtcDateTime.ToString(legacy ? "yyyy-MM-dd'T'HH:mm:ss.fff" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
