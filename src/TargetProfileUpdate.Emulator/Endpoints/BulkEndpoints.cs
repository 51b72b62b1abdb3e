using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using TargetProfileUpdate.Emulator.State;

namespace TargetProfileUpdate.Emulator.Endpoints;

/// <summary>
/// The Bulk Profile Update API: <c>POST /m2/{clientCode}[/v2]/profile/batchUpdate</c> with a <c>batch=</c> CSV body,
/// answered in XML, and <c>GET /m2/{clientCode}[/v2]/profile/batchStatus?batchId=…[&amp;showDetails=true]</c>.
/// </summary>
internal static class BulkEndpoints
{
    public const string SubmittedMessage = "Batch submitted for processing";
    private const string XmlContentType = "application/xml; charset=utf-8";

    public static void Map(IEndpointRouteBuilder app, EmulatorState state, TargetEmulatorOptions options)
    {
        app.MapPost("/m2/{clientCode}/profile/batchUpdate", (HttpContext context, string clientCode) => BatchUpdateAsync(context, clientCode, 1, state, options));
        app.MapPost("/m2/{clientCode}/v2/profile/batchUpdate", (HttpContext context, string clientCode) => BatchUpdateAsync(context, clientCode, 2, state, options));
        app.MapGet("/m2/{clientCode}/profile/batchStatus", (HttpContext context, string clientCode) => BatchStatusAsync(context, clientCode, state, options));
        app.MapGet("/m2/{clientCode}/v2/profile/batchStatus", (HttpContext context, string clientCode) => BatchStatusAsync(context, clientCode, state, options));
    }

    private static async Task BatchUpdateAsync(HttpContext context, string clientCode, int version, EmulatorState state, TargetEmulatorOptions options)
    {
        // The bulk limit is the emulator's own (answered with success=false), not Kestrel's.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = null;
        }

        var fault = await Responses.ApplyFaultAsync(context, state, EmulatorFaultTarget.BatchUpdate, NotKept(context), drainBody: true).ConfigureAwait(false);
        if (fault.Answered)
        {
            return;
        }

        if (!Responses.TryTakeBulkCall(context, state))
        {
            await Responses.DrainAsync(context).ConfigureAwait(false);
            await XmlAsync(context, state, 503, "rate-limited", Refusal("Too many calls: the bulk and admin APIs allow a limited number of calls per minute")).ConfigureAwait(false);
            return;
        }

        if (!Responses.Authorized(context.Request, state))
        {
            await Responses.DrainAsync(context).ConfigureAwait(false);
            await Responses.AnswerAsync(context, state, NotKept(context), 403, "forbidden", "Forbidden").ConfigureAwait(false);
            return;
        }

        if (!string.Equals(clientCode, options.ClientCode, StringComparison.Ordinal))
        {
            await Responses.DrainAsync(context).ConfigureAwait(false);
            await XmlAsync(context, state, 404, "unknown-client", Refusal("Unknown client code")).ConfigureAwait(false);
            return;
        }

        var body = await BatchBodyReader.ReadAsync(context.Request.Body, options.BulkMaxBytes, options.BulkMaxRows, context.RequestAborted).ConfigureAwait(false);
        if (body.Error is { } error)
        {
            await XmlAsync(context, state, 200, "batch-refused", Refusal(error)).ConfigureAwait(false);
            return;
        }

        if (fault.Deferred is { Kind: EmulatorFaultKind.BatchRefused } refused)
        {
            await XmlAsync(context, state, 200, "fault:batch-refused", Refusal(refused.Body ?? "Batch could not be processed")).ConfigureAwait(false);
            return;
        }

        bool stuck = fault.Deferred is { Kind: EmulatorFaultKind.BatchStuck };
        var now = state.Now;
        string batchId = state.Batches.NextBatchId(now);

        // Adobe documents the path (/m2/{client}/profile/batchStatus, for v1 and v2); the host it names is an edge host
        // (inferred): the emulator names its own.
        var statusUrl = new Uri(string.Create(CultureInfo.InvariantCulture,
            $"{context.Request.Scheme}://{context.Request.Host}/m2/{Uri.EscapeDataString(options.ClientCode)}/profile/batchStatus?batchId={Uri.EscapeDataString(batchId)}"));

        var completeAt = now + options.BatchProcessingDelay;
        var visibleAt = completeAt + state.PropagationDelay;
        bool byPcId = body.IdColumn == "pcId";
        long successful = 0, notFound = 0, failed = 0;
        long serial = state.NextBatchSerial();
        var outcomes = options.LegacyBatchStatus ? new List<BatchStore.ProfileOutcome>(body.Ids.Count) : null;
        var names = body.Names;
        var values = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(body.Values);
        for (int row = 0; row < body.Ids.Count; row++)
        {
            string? id = body.Ids[row];
            bool ok;
            if (id is null || (!byPcId && (id.Contains('+', StringComparison.Ordinal) || id.Contains('/', StringComparison.Ordinal))))
            {
                failed++;
                ok = false;
            }
            else if (stuck)
            {
                successful++;
                ok = true;
            }
            else
            {
                var result = state.ApplyBulkRow(byPcId, id, names, values.Slice(row * names.Length, names.Length), now, visibleAt, create: version == 2, serial);
                ok = result is ApplyResult.Applied;
                switch (result)
                {
                    case ApplyResult.Applied:
                        successful++;
                        break;
                    case ApplyResult.UnknownProfile:
                        notFound++;
                        break;
                    case ApplyResult.ProfileTooLarge:
                        failed++;
                        break;
                    default:
                        // A row of empty fields sets nothing and creates nothing: Adobe skips it (counted in no column).
                        ok = true;
                        break;
                }
            }

            outcomes?.Add(new BatchStore.ProfileOutcome(id ?? string.Empty, ok));
        }

        state.Batches.Add(new BatchStore.Batch
        {
            BatchId = batchId,
            ApiVersion = version,
            IdColumn = body.IdColumn,
            SubmittedAt = now,
            CompleteAt = completeAt,
            Stuck = stuck,
            BatchSize = body.Ids.Count,
            Bytes = body.Bytes,
            SuccessfulUpdates = stuck ? 0 : successful,
            ProfilesNotFound = notFound,
            FailedUpdates = failed,
            StatusUrl = statusUrl,
            Profiles = outcomes,
        });

        string xml = "<response><success>true</success><batchStatus>" + SecurityElement.Escape(statusUrl.AbsoluteUri)
            + "</batchStatus><message>" + SubmittedMessage + "</message></response>";
        var notes = new List<string>(body.Notes) { "inferred: the batchStatus host is the emulator's own; Adobe names an edge host" };
        string outcome = stuck ? "fault:batch-stuck" : body.Notes.Count > 0 ? "batch-submitted-partly" : "batch-submitted";
        await XmlAsync(context, state, 200, outcome, xml, notes).ConfigureAwait(false);
    }

    private static async Task BatchStatusAsync(HttpContext context, string clientCode, EmulatorState state, TargetEmulatorOptions options)
    {
        if ((await Responses.ApplyFaultAsync(context, state, EmulatorFaultTarget.BatchStatus, string.Empty).ConfigureAwait(false)).Answered)
        {
            return;
        }

        if (!Responses.TryTakeBulkCall(context, state))
        {
            await XmlAsync(context, state, 503, "rate-limited", Refusal("Too many calls: the bulk and admin APIs allow a limited number of calls per minute")).ConfigureAwait(false);
            return;
        }

        if (!Responses.Authorized(context.Request, state))
        {
            await Responses.AnswerAsync(context, state, string.Empty, 403, "forbidden", "Forbidden").ConfigureAwait(false);
            return;
        }

        string batchId = context.Request.Query["batchId"].ToString();
        if (!string.Equals(clientCode, options.ClientCode, StringComparison.Ordinal))
        {
            await XmlAsync(context, state, 404, "unknown-client", Refusal("Unknown client code")).ConfigureAwait(false);
            return;
        }

        if (batchId.Length == 0)
        {
            await XmlAsync(context, state, 400, "bad-request", Refusal("Missing batchId")).ConfigureAwait(false);
            return;
        }

        if (state.Batches.Find(batchId) is not { } batch)
        {
            string message = string.Create(CultureInfo.InvariantCulture, $"No batch found with batchId={batchId}: only the last {options.MaxRetainedBatches} batches are kept");
            await XmlAsync(context, state, 404, "batch-not-found", Refusal(message)).ConfigureAwait(false);
            return;
        }

        var status = batch.StatusAt(state.Now);
        bool details = string.Equals(context.Request.Query["showDetails"].ToString(), "true", StringComparison.OrdinalIgnoreCase);
        var xml = new StringBuilder(256);
        xml.Append("<response><batchId>").Append(SecurityElement.Escape(batch.BatchId)).Append("</batchId><status>")
            .Append(Wire(status)).Append("</status><batchSize>").Append(batch.BatchSize.ToString(CultureInfo.InvariantCulture)).Append("</batchSize>");
        if (options.LegacyBatchStatus)
        {
            foreach (var profile in batch.Profiles ?? [])
            {
                string profileStatus = status == EmulatedBatchStatus.Complete ? (profile.Success ? "success" : "error") : "pending";
                xml.Append("<profile><id>").Append(SecurityElement.Escape(profile.Id)).Append("</id><status>").Append(profileStatus).Append("</status></profile>");
            }
        }
        else if (details)
        {
            bool complete = status == EmulatedBatchStatus.Complete;
            Element(xml, "consumedCount", complete ? batch.BatchSize : 0);
            Element(xml, "successfulUpdates", complete ? batch.SuccessfulUpdates : 0);
            Element(xml, "profilesNotFound", complete ? batch.ProfilesNotFound : 0);
            Element(xml, "failedUpdates", complete ? batch.FailedUpdates : 0);
        }

        xml.Append("</response>");
        await XmlAsync(context, state, 200, "batch-status", xml.ToString()).ConfigureAwait(false);
    }

    /// <summary>The wire word of a state: <c>complete</c>, <c>incomplete</c> or <c>stuck</c>.</summary>
    public static string Wire(EmulatedBatchStatus status) => status switch
    {
        EmulatedBatchStatus.Complete => "complete",
        EmulatedBatchStatus.Stuck => "stuck",
        _ => "incomplete",
    };

    private static void Element(StringBuilder xml, string name, long value) =>
        xml.Append('<').Append(name).Append('>').Append(value.ToString(CultureInfo.InvariantCulture)).Append("</").Append(name).Append('>');

    private static string Refusal(string message) =>
        "<response><success>false</success><message>" + SecurityElement.Escape(message) + "</message></response>";

    /// <summary>Bulk bodies can be tens of megabytes: the recorder keeps their size only.</summary>
    private static string NotKept(HttpContext context) =>
        string.Create(CultureInfo.InvariantCulture, $"(bulk body of {context.Request.ContentLength?.ToString(CultureInfo.InvariantCulture) ?? "unknown"} bytes; not kept)");

    private static Task XmlAsync(HttpContext context, EmulatorState state, int status, string outcome, string xml, IReadOnlyList<string>? notes = null) =>
        Responses.AnswerAsync(context, state, NotKept(context), status, outcome, xml, XmlContentType, notes);
}
