using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TargetProfileUpdate.Emulator.State;

namespace TargetProfileUpdate.Emulator.Endpoints;

/// <summary>
/// The emulator's own endpoints under <c>/_emulator</c>: create profiles, inspect requests and profiles,
/// script faults, reset. They need no token.
/// </summary>
internal static class AdminEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        app.MapPut("/_emulator/profiles/thirdPartyId/{id}", (HttpContext context, string id) => PutProfileAsync(context, state, pcId: null, thirdPartyId: id));
        app.MapPut("/_emulator/profiles/pcId/{id}", (HttpContext context, string id) => PutProfileAsync(context, state, pcId: id, thirdPartyId: null));
        app.MapGet("/_emulator/profiles", () => Results.Json(state.Profiles(), Json));
        app.MapPost("/_emulator/visits", (Delegate)((HttpContext context) => VisitAsync(context, state)));
        app.MapGet("/_emulator/privacy/jobs", () => Results.Json(state.Privacy.Snapshot().Select(j => new { j.JobId, j.UserKey, j.Action, j.Regulation, j.CreatedAt, j.CompleteAt, Outcome = j.Outcome.ToString() }), Json));
        app.MapGet("/_emulator/requests", () => Results.Json(state.Requests(), Json));
        app.MapGet("/_emulator/stats", () => Results.Json(
            new
            {
                applied = state.AppliedUpdates,
                dropped = state.DroppedUpdates,
                imsTokenRequests = state.Tokens.ImsCalls,
                adminTokenRequests = state.Tokens.AdminCalls,
                batchUpdateRequests = state.Calls(EmulatorFaultTarget.BatchUpdate),
                batchStatusRequests = state.Calls(EmulatorFaultTarget.BatchStatus),
                profileTokenExists = state.Tokens.PeekProfileToken() is not null,
            },
            Json));
        app.MapGet("/_emulator/batches", () => Results.Json(state.Batches.Snapshot(state.Now), Json));
        app.MapPost("/_emulator/faults", async (HttpContext context) =>
        {
            var faults = await ReadFaultsAsync(context).ConfigureAwait(false);
            if (faults is null)
            {
                return Results.BadRequest(new
                {
                    message = "Expected a fault object or an array of them, for example {\"kind\":\"Status\",\"statusCode\":503}. See docs/emulator.md (Faults) for each kind's fields.",
                    kinds = Enum.GetNames<EmulatorFaultKind>(),
                    targets = Enum.GetNames<EmulatorFaultTarget>(),
                });
            }

            foreach (var fault in faults)
            {
                state.EnqueueFault(fault);
            }

            return Results.Accepted();
        });
        app.MapDelete("/_emulator/faults", () =>
        {
            state.ClearFaults();
            return Results.NoContent();
        });
        app.MapPost("/_emulator/scenario", () =>
        {
            state.BeginScenario();
            return Results.NoContent();
        });
        app.MapGet("/_emulator/attributes", () => Results.Json(state.AttributeNames(), Json));
        app.MapDelete("/_emulator", () =>
        {
            state.Reset();
            return Results.NoContent();
        });
    }

    private static async Task<IResult> PutProfileAsync(HttpContext context, EmulatorState state, string? pcId, string? thirdPartyId)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (context.Request.ContentLength is not 0)
        {
            try
            {
                using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return Results.BadRequest(new { message = "The body must be a JSON object of attribute values." });
                }

                foreach (var property in document.RootElement.EnumerateObject())
                {
                    attributes[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                }
            }
            catch (JsonException)
            {
                if (context.Request.ContentLength is > 0)
                {
                    return Results.BadRequest(new { message = "The body must be a JSON object of attribute values." });
                }
            }
        }

        return Results.Json(state.Upsert(pcId, thirdPartyId, attributes), Json, statusCode: 201);
    }

    /// <summary><c>POST /_emulator/visits</c> with <c>{"thirdPartyId"|"pcId"|"marketingCloudVisitorId": …, "attributes": {…}}</c>:
    /// a visitor's Target call, which creates the profile (available after the creation delay) or keeps it alive.</summary>
    private static async Task<IResult> VisitAsync(HttpContext context, EmulatorState state)
    {
        ProfileSeed? visitor;
        try
        {
            visitor = await JsonSerializer.DeserializeAsync<ProfileSeed>(context.Request.Body, Json, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            visitor = null;
        }

        if (visitor is null || (visitor.PcId is null && visitor.ThirdPartyId is null && visitor.MarketingCloudVisitorId is null))
        {
            return Results.BadRequest(new { message = "Expected {\"thirdPartyId\": \"…\"} (or pcId, or marketingCloudVisitorId), with optional \"attributes\": {\"name\": \"value\"}." });
        }

        var visit = state.Visit(visitor.PcId, visitor.ThirdPartyId, visitor.MarketingCloudVisitorId, visitor.Attributes);
        return Results.Json(visit, Json, statusCode: visit.CreatedProfile ? 201 : 200);
    }

    private static async Task<List<EmulatorFault>?> ReadFaultsAsync(HttpContext context)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            var elements = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement.EnumerateArray().ToList() : [document.RootElement];
            if (elements.Any(e => e.ValueKind != JsonValueKind.Object || !e.EnumerateObject().Any(p => p.Name.Equals("kind", StringComparison.OrdinalIgnoreCase))))
            {
                return null;
            }

            return document.RootElement.ValueKind switch
            {
                JsonValueKind.Array => document.RootElement.EnumerateArray().Select(e => e.Deserialize<EmulatorFault>(Json)!).ToList(),
                JsonValueKind.Object => [document.RootElement.Deserialize<EmulatorFault>(Json)!],
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
