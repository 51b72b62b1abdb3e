using System;
using System.Collections.Generic;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using TargetProfileUpdate.Emulator.State;

namespace TargetProfileUpdate.Emulator.Endpoints;

/// <summary>Records requests exactly as received (raw target, raw body), with the token redacted.</summary>
internal static class RequestRecorder
{
    public static string RawTarget(HttpContext context) =>
        context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw ? raw : context.Request.Path + context.Request.QueryString;

    public static void Record(EmulatorState state, HttpContext context, string rawBody, int status, string outcome)
    {
        string target = RawTarget(context);
        int q = target.IndexOf('?', StringComparison.Ordinal);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in context.Request.Headers)
        {
            headers[name] = string.Equals(name, "Authorization", StringComparison.OrdinalIgnoreCase) ? Redact(values.ToString()) : values.ToString();
        }

        state.Record(new RecordedRequest(
            state.NextSequence(),
            state.Now,
            context.Request.Method,
            q < 0 ? target : target[..q],
            q < 0 ? string.Empty : target[(q + 1)..],
            rawBody,
            headers,
            status,
            outcome));
    }

    private static string Redact(string value)
    {
        int space = value.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? "***" : value[..(space + 1)] + "***";
    }
}
