using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using TargetProfileUpdate.Emulator.State;

namespace TargetProfileUpdate.Emulator.Endpoints;

/// <summary>What every endpoint shares: scripted faults, the profile token check, recorded answers.</summary>
internal static class Responses
{
    /// <summary>What a fault left to do: nothing (<see cref="Answered"/> false, <see cref="Deferred"/> null), or a bulk fault the endpoint applies itself.</summary>
    public readonly record struct FaultOutcome(bool Answered, EmulatorFault? Deferred);

    /// <summary>
    /// Counts a call to <paramref name="target"/> and applies its fault, if any. The request body is drained first
    /// (<paramref name="drainBody"/>) so a client still sending it reads the answer rather than a reset.
    /// </summary>
    public static async Task<FaultOutcome> ApplyFaultAsync(HttpContext context, EmulatorState state, EmulatorFaultTarget target, string rawBody, bool drainBody = false)
    {
        if (state.NextFault(target) is not { } fault)
        {
            return default;
        }

        if (fault.Kind is EmulatorFaultKind.BatchRefused or EmulatorFaultKind.BatchStuck or EmulatorFaultKind.PrivacyJobFailed)
        {
            return new FaultOutcome(false, fault);
        }

        if (drainBody && fault.Kind is not EmulatorFaultKind.DropConnection and not EmulatorFaultKind.Delay)
        {
            await DrainAsync(context).ConfigureAwait(false);
        }

        switch (fault.Kind)
        {
            case EmulatorFaultKind.Delay:
                await Task.Delay(fault.Delay, context.RequestAborted).ConfigureAwait(false);
                return default;
            case EmulatorFaultKind.DropConnection:
                RequestRecorder.Record(state, context, rawBody, 0, "fault:drop");
                context.Abort();
                return new FaultOutcome(true, null);
            case EmulatorFaultKind.Redirect:
                context.Response.Headers.Location = fault.Location;
                await AnswerAsync(context, state, rawBody, 307, "fault:redirect", string.Empty).ConfigureAwait(false);
                return new FaultOutcome(true, null);
            case EmulatorFaultKind.Body:
                await AnswerAsync(context, state, rawBody, 200, "fault:body", fault.Body ?? string.Empty, contentType: fault.ContentType).ConfigureAwait(false);
                return new FaultOutcome(true, null);
            default:
                if (fault.RetryAfter is { } seconds)
                {
                    context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                }

                await AnswerAsync(context, state, rawBody, fault.StatusCode, "fault:" + fault.StatusCode.ToString(CultureInfo.InvariantCulture), "Service fault injected by the emulator").ConfigureAwait(false);
                return new FaultOutcome(true, null);
        }
    }

    /// <summary>The note recorded when the literal <c>client</c> stands for the client code.</summary>
    public const string ClientAliasNote = "inferred: the literal 'client' (as Adobe's docs print the path) is accepted as an alias of the client code; real tenants put their client code there";

    /// <summary>Whether <paramref name="value"/> is the emulated client code, or the literal <c>client</c> of Adobe's docs (an alias, noted).</summary>
    public static bool IsClientCode(string value, TargetEmulatorOptions options, List<string> notes)
    {
        if (string.Equals(value, options.ClientCode, StringComparison.Ordinal))
        {
            return true;
        }

        if (string.Equals(value, "client", StringComparison.Ordinal))
        {
            notes.Add(ClientAliasNote);
            return true;
        }

        return false;
    }

    /// <summary>Whether the request carries what the profile endpoints require (see <see cref="TokenStore.IsAuthorized"/>).</summary>
    public static bool Authorized(HttpRequest request, EmulatorState state) => state.Tokens.IsAuthorized(request.Headers.Authorization.ToString());

    /// <summary>Answers <c>503</c> with <c>Retry-After</c> when the per-minute limit shared by bulk and Admin API calls is used up.</summary>
    public static bool TryTakeBulkCall(HttpContext context, EmulatorState state)
    {
        if (state.BulkCalls.TryAcquire(out var retryAfter))
        {
            return true;
        }

        context.Response.Headers.RetryAfter = Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return false;
    }

    public static async Task AnswerAsync(HttpContext context, EmulatorState state, string rawBody, int status, string outcome, string body, string contentType = "text/plain; charset=utf-8", IReadOnlyList<string>? notes = null)
    {
        RequestRecorder.Record(state, context, rawBody, status, outcome, notes);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    public static async Task AnswerJsonAsync(HttpContext context, EmulatorState state, string rawBody, int status, string outcome, JsonNode json, string contentType = "application/json; charset=utf-8", IReadOnlyList<string>? notes = null)
    {
        RequestRecorder.Record(state, context, rawBody, status, outcome, notes);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(json.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Reads and discards the rest of the request body.</summary>
    public static Task DrainAsync(HttpContext context) => context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
}
