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

    public static void Map(IEndpointRouteBuilder app, EmulatorState state, TargetEmulatorOptions options)
    {
        app.MapMethods("/m2/{clientCode}/profile/update", ["GET", "POST"], (HttpContext context, string clientCode) => UpdateAsync(context, clientCode, state, options));
        app.MapGet("/rest/v1/profiles/thirdPartyId/{id}", (HttpContext context, string id) => FetchAsync(context, byPcId: false, id, state, options));
        app.MapGet("/rest/v1/profiles/{tntId}", (HttpContext context, string tntId) => FetchAsync(context, byPcId: true, tntId, state, options));
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

        if (await ApplyFaultAsync(context, state, rawBody).ConfigureAwait(false))
        {
            return;
        }

        if (!Authorized(request, options))
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
        bool applied = !string.IsNullOrEmpty(pcId)
            ? state.TryApply(byPcId: true, pcId, attributes)
            : state.TryApply(byPcId: false, thirdPartyId!, attributes);
        await AnswerAsync(context, state, rawBody, 200, applied ? "applied" : "dropped-unknown-profile", Success).ConfigureAwait(false);
    }

    private static async Task FetchAsync(HttpContext context, bool byPcId, string id, EmulatorState state, TargetEmulatorOptions options)
    {
        if (await ApplyFaultAsync(context, state, string.Empty).ConfigureAwait(false))
        {
            return;
        }

        if (!Authorized(context.Request, options))
        {
            await AnswerAsync(context, state, string.Empty, 403, "forbidden", "Forbidden").ConfigureAwait(false);
            return;
        }

        string client = context.Request.Query["client"].ToString();
        var profile = string.Equals(client, options.ClientCode, StringComparison.Ordinal) ? state.Find(byPcId, id) : null;
        if (profile is null)
        {
            var notFound = new JsonObject
            {
                ["status"] = 404,
                ["message"] = string.Create(CultureInfo.InvariantCulture, $"No profile found for client {client} with {(byPcId ? "tnt id" : "third party id")}={id}"),
            };
            RequestRecorder.Record(state, context, string.Empty, 404, "fetch-not-found");
            await WriteJsonAsync(context, 404, notFound).ConfigureAwait(false);
            return;
        }

        var attributes = new JsonObject();
        foreach (var (name, attribute) in profile.Attributes)
        {
            attributes[name] = new JsonObject { ["value"] = attribute.Value, ["modifiedAt"] = Timestamp(attribute.ModifiedAt) };
        }

        var json = new JsonObject
        {
            ["client"] = options.ClientCode,
            ["visitorId"] = new JsonObject
            {
                ["tntId"] = profile.PcId,
                ["thirdPartyId"] = profile.ThirdPartyId,
                ["marketingCloudVisitorId"] = null,
            },
            ["modifiedAt"] = Timestamp(profile.ModifiedAt),
            ["profileAttributes"] = attributes,
        };
        RequestRecorder.Record(state, context, string.Empty, 200, "fetch");
        await WriteJsonAsync(context, 200, json).ConfigureAwait(false);
    }

    /// <summary>Applies the next scripted or random fault; returns true when the request was answered (or dropped) by it.</summary>
    private static async Task<bool> ApplyFaultAsync(HttpContext context, EmulatorState state, string rawBody)
    {
        if (state.NextFault() is not { } fault)
        {
            return false;
        }

        switch (fault.Kind)
        {
            case EmulatorFaultKind.Delay:
                await Task.Delay(fault.Delay, context.RequestAborted).ConfigureAwait(false);
                return false;
            case EmulatorFaultKind.DropConnection:
                RequestRecorder.Record(state, context, rawBody, 0, "fault:drop");
                context.Abort();
                return true;
            case EmulatorFaultKind.Redirect:
                context.Response.Headers.Location = fault.Location;
                await AnswerAsync(context, state, rawBody, 307, "fault:redirect", string.Empty).ConfigureAwait(false);
                return true;
            case EmulatorFaultKind.Body:
                context.Response.ContentType = fault.ContentType;
                await AnswerAsync(context, state, rawBody, 200, "fault:body", fault.Body ?? string.Empty, contentType: fault.ContentType).ConfigureAwait(false);
                return true;
            default:
                if (fault.RetryAfter is { } seconds)
                {
                    context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                }

                await AnswerAsync(context, state, rawBody, fault.StatusCode, "fault:" + fault.StatusCode.ToString(CultureInfo.InvariantCulture), "Service fault injected by the emulator").ConfigureAwait(false);
                return true;
        }
    }

    private static bool Authorized(HttpRequest request, TargetEmulatorOptions options) =>
        options.AuthorizationToken is null
        || string.Equals(request.Headers.Authorization.ToString(), "Bearer " + options.AuthorizationToken, StringComparison.Ordinal);

    private static async Task AnswerAsync(HttpContext context, EmulatorState state, string rawBody, int status, string outcome, string body, string contentType = "text/plain; charset=utf-8")
    {
        RequestRecorder.Record(state, context, rawBody, status, outcome);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

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

    private static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static Task WriteJsonAsync(HttpContext context, int status, JsonNode json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(json.ToJsonString(), context.RequestAborted);
    }
}
