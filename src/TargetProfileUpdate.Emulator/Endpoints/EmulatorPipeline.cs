using System;
using System.Globalization;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using TargetProfileUpdate.Emulator.State;

namespace TargetProfileUpdate.Emulator.Endpoints;

/// <summary>
/// What makes the emulator record every request: its own size limits (Kestrel's are raised so they never answer first),
/// a recording of whatever no endpoint recorded (unknown routes, wrong methods), and Kestrel's own rejections of
/// malformed requests, read from its bad-request log.
/// </summary>
internal static class EmulatorPipeline
{
    /// <summary>The longest request line the emulator takes from any client; longer gets 414 (inferred: Adobe's edge limits are not documented).</summary>
    public const int MaxRequestLineBytes = 64 * 1024;

    /// <summary>The most header bytes; more gets 431 (inferred).</summary>
    public const int MaxHeaderBytes = 64 * 1024;

    /// <summary>The largest body an endpoint other than bulk and update takes; larger gets 413 (inferred).</summary>
    public const long MaxOtherBodyBytes = 1024 * 1024;

    /// <summary>The key an endpoint sets when it has recorded the request.</summary>
    public const string RecordedKey = "TargetEmulator.Recorded";

    private const string LimitNote = "inferred: Adobe does not document its edge limits; the emulator answers 414 over 64 KB of request line, 431 over 64 KB of headers, 413 over 1 MB of body (outside update and bulk)";

    public static void Use(WebApplication app, EmulatorState state)
    {
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/_emulator", StringComparison.Ordinal))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            if (await RefuseOverLimitAsync(context, state).ConfigureAwait(false))
            {
                return;
            }

            await next(context).ConfigureAwait(false);
            if (context.Items.ContainsKey(RecordedKey))
            {
                return;
            }

            int status = context.Response.StatusCode;
            string outcome = status switch
            {
                404 => "no-such-endpoint",
                405 => "method-not-allowed",
                _ => "unrecorded-" + status.ToString(CultureInfo.InvariantCulture),
            };
            RequestRecorder.Record(state, context, "(not read)", status, outcome);
            if (status == 404 && !context.Response.HasStarted)
            {
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("No such endpoint in the Target emulator: see docs/emulator.md for the routes it serves.", context.RequestAborted).ConfigureAwait(false);
            }
        });
    }

    private static async Task<bool> RefuseOverLimitAsync(HttpContext context, EmulatorState state)
    {
        var request = context.Request;
        int line = request.Method.Length + 1 + RequestRecorder.RawTarget(context).Length + 1 + request.Protocol.Length;
        long headers = 0;
        foreach (var (name, values) in request.Headers)
        {
            headers += name.Length + 4 + values.ToString().Length;
        }

        bool bulk = request.Path.Value?.EndsWith("/batchUpdate", StringComparison.Ordinal) ?? false;
        bool update = request.Path.Value?.EndsWith("/profile/update", StringComparison.Ordinal) ?? false;
        (int Status, string Outcome)? refusal = line > MaxRequestLineBytes ? (414, "uri-too-long")
            : headers > MaxHeaderBytes ? (431, "headers-too-large")
            : !bulk && !update && request.ContentLength > MaxOtherBodyBytes ? (413, "body-too-large")
            : null;
        if (refusal is not { } answer)
        {
            return false;
        }

        await Responses.DrainAsync(context).ConfigureAwait(false);
        await Responses.AnswerAsync(context, state, "(not kept)", answer.Status, answer.Outcome, "falseRequest refused by the emulator's size limits", notes: [LimitNote]).ConfigureAwait(false);
        return true;
    }

    /// <summary>Records the requests Kestrel itself refuses (malformed request lines or headers), from its bad-request log.</summary>
    internal sealed class BadRequestLoggerProvider(EmulatorState state) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) =>
            categoryName == "Microsoft.AspNetCore.Server.Kestrel.BadRequests" ? new BadRequestLogger(state) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public void Dispose()
        {
        }
    }

    private sealed class BadRequestLogger(EmulatorState state) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState scopeState)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState logState, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name != "ConnectionBadRequest")
            {
                return;
            }

            int status = exception is BadHttpRequestException bad ? bad.StatusCode : 400;
            state.Record(new RecordedRequest(state.NextSequence(), state.Now, string.Empty, string.Empty, string.Empty, string.Empty, new System.Collections.Generic.Dictionary<string, string>(), status, "rejected-malformed")
            {
                // Only the reason: Kestrel's message can quote the request line, which may carry a credential.
                Notes = ["Kestrel refused the request before any endpoint saw it: " + (exception?.Message ?? "malformed request").Split(": '")[0].Split(": \"")[0]],
            });
        }
    }
}
