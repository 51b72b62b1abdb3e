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

    /// <summary>The note on every size answer: the limits are documented, what counts towards them is not.</summary>
    public const string ByteAccountingNote = "inferred: Adobe documents 8 KB (GET) and 60 KB (POST) without saying what counts; the emulator counts the absolute URL (scheme, host, path and query) and the body's bytes";

    /// <summary>The note on every refusal of malformed input.</summary>
    public const string RefusalNote = "inferred: Adobe documents no answer for malformed input on this endpoint; the emulator refuses it (the safe direction)";

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
                await AnswerAsync(context, state, "(over the limit; not kept)", 413, "body-too-large", "falseRequest body too large", [ByteAccountingNote]).ConfigureAwait(false);
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

        var notes = new List<string>();
        if (!Responses.IsClientCode(clientCode, options, notes))
        {
            await AnswerAsync(context, state, rawBody, 404, "unknown-client", "falseUnknown client code").ConfigureAwait(false);
            return;
        }

        // The URL is size-checked for a POST too: its query string travels in the request line like a GET's.
        string target = RequestRecorder.RawTarget(context);
        int urlBytes = request.Scheme.Length + 3 + request.Host.Value!.Length + target.Length;
        if (urlBytes > options.MaxGetRequestBytes)
        {
            notes.Add(ByteAccountingNote);
            await AnswerAsync(context, state, rawBody, 414, "uri-too-long", "falseRequest URI too long", notes).ConfigureAwait(false);
            return;
        }

        // Servlet-style parameters: the query string, then (for a form POST) the body, decoded strictly.
        var parameters = new List<KeyValuePair<string, string>>();
        int q = target.IndexOf('?', StringComparison.Ordinal);
        string? problem = AddParameters(parameters, q < 0 ? string.Empty : target[(q + 1)..]);
        if (problem is null && isPost && (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            problem = AddParameters(parameters, rawBody);
        }

        if (problem is null)
        {
            problem = Classify(parameters, notes, out string? pcId, out string? thirdPartyId, out var attributes);
            if (problem is null && string.IsNullOrEmpty(pcId) && string.IsNullOrEmpty(thirdPartyId))
            {
                await AnswerAsync(context, state, rawBody, 400, "bad-request", "falseMissing mboxPC or mbox3rdPartyId", notes).ConfigureAwait(false);
                return;
            }

            if (problem is null)
            {
                await ApplyAsync(context, state, rawBody, pcId, thirdPartyId, attributes, notes).ConfigureAwait(false);
                return;
            }
        }

        notes.Add(RefusalNote);
        await AnswerAsync(context, state, rawBody, 400, "refused:" + problem, "falseBad request: " + Describe(problem), notes).ConfigureAwait(false);
    }

    private static async Task ApplyAsync(HttpContext context, EmulatorState state, string rawBody, string? pcId, string? thirdPartyId, List<KeyValuePair<string, string>> attributes, List<string> notes)
    {
        if (!state.Quota.TryAcquire(out var retryAfter))
        {
            context.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            notes.Add("inferred: Adobe documents the 1,000,000 updates per 24 h but no answer for going over it; 429, Retry-After and this body are the emulator's");
            await AnswerAsync(context, state, rawBody, 429, "quota-exceeded", "falseQuota exceeded", notes).ConfigureAwait(false);
            return;
        }

        // Update only: an unknown profile is answered as a success and silently dropped, as Adobe does.
        var result = !string.IsNullOrEmpty(pcId)
            ? state.TryApply(byPcId: true, pcId, attributes)
            : state.TryApply(byPcId: false, thirdPartyId!, attributes);
        string outcome = result switch
        {
            ApplyResult.Applied => notes.Exists(n => n.StartsWith("ignored", StringComparison.Ordinal)) ? "applied-partly" : "applied",
            ApplyResult.ProfileTooLarge => "dropped-profile-too-large",
            _ => "dropped-unknown-profile",
        };
        if (result == ApplyResult.ProfileTooLarge)
        {
            notes.Add("inferred: Adobe documents 64 KB of external data per profile, not what happens above it; the emulator drops the whole update");
        }

        await AnswerAsync(context, state, rawBody, 200, outcome, Success, notes).ConfigureAwait(false);
    }

    /// <summary>
    /// Sorts the parameters into the identity and the <c>profile.*</c> attributes. Returns why the request is refused, or
    /// <see langword="null"/>: an empty attribute name (<c>profile.=x</c>), a wrongly cased prefix (<c>Profile.x</c>: names are
    /// case-sensitive), or a parameter given twice (which value wins is not documented). Empty values and other parameters
    /// are ignored, with a note.
    /// </summary>
    private static string? Classify(List<KeyValuePair<string, string>> parameters, List<string> notes, out string? pcId, out string? thirdPartyId, out List<KeyValuePair<string, string>> attributes)
    {
        pcId = null;
        thirdPartyId = null;
        attributes = [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in parameters)
        {
            if (!seen.Add(name))
            {
                return "duplicate-parameter";
            }

            if (name is "mboxPC")
            {
                pcId = value;
            }
            else if (name is "mbox3rdPartyId")
            {
                thirdPartyId = value;
            }
            else if (name.StartsWith("profile.", StringComparison.Ordinal))
            {
                if (string.IsNullOrWhiteSpace(name[8..]))
                {
                    return "unusable-parameter";
                }

                if (value.Length == 0)
                {
                    notes.Add("ignored an empty value: Adobe's empty values neither clear nor change an attribute (documented for bulk; inferred here)");
                    continue;
                }

                attributes.Add(new(name[8..], value));
            }
            else if (name.StartsWith("profile.", StringComparison.OrdinalIgnoreCase) || name.Equals("profile", StringComparison.OrdinalIgnoreCase))
            {
                return "unusable-parameter";
            }
            else
            {
                notes.Add("ignored a parameter that is neither mboxPC, mbox3rdPartyId nor profile.*");
            }
        }

        return null;
    }

    private static string Describe(string problem) => problem switch
    {
        "bad-percent-encoding" => "a % not followed by two hex digits (encode % as %25)",
        "invalid-utf8" => "percent-encoded bytes that are not UTF-8, or raw non-ASCII bytes",
        "duplicate-parameter" => "a parameter given twice",
        _ => "an unusable parameter name (profile. with no name, or a wrongly cased Profile.: names are case-sensitive)",
    };

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
        var notes = new List<string>();
        var (kind, id) = ParseFetchTarget(context);
        var profile = id is null || !Responses.IsClientCode(client, options, notes) ? null : kind switch
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
            await Responses.AnswerJsonAsync(context, state, string.Empty, 404, "fetch-not-found", notFound, notes: notes).ConfigureAwait(false);
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
                // Adobe's only sample shows visitorId as a string; the object shape is kept behind an option.
                ["visitorId"] = options.FetchVisitorIdAsObject
                    ? new JsonObject
                    {
                        ["tntId"] = profile.PcId,
                        ["thirdPartyId"] = profile.ThirdPartyId,
                        ["marketingCloudVisitorId"] = profile.MarketingCloudVisitorId,
                    }
                    : profile.PcId,
                ["modifiedAt"] = Timestamp(profile.ModifiedAt, legacy),
                ["profileAttributes"] = attributes,
            };
        if (options.FetchVisitorIdAsObject)
        {
            notes.Add("inferred: visitorId as an object {tntId, thirdPartyId, marketingCloudVisitorId} is not documented (FetchVisitorIdAsObject)");
        }

        await Responses.AnswerJsonAsync(context, state, string.Empty, 200, "fetch", json, notes: notes).ConfigureAwait(false);
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

    private static Task AnswerAsync(HttpContext context, EmulatorState state, string rawBody, int status, string outcome, string body, IReadOnlyList<string>? notes = null) =>
        Responses.AnswerAsync(context, state, rawBody, status, outcome, body, notes: notes);

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

    /// <summary>
    /// Parses <c>a=b&amp;c=d</c> as a servlet does (<c>+</c> is a space), keeping order and case of names, decoding exactly
    /// once and strictly. Returns why it cannot (<c>bad-percent-encoding</c>, <c>invalid-utf8</c>), or <see langword="null"/>.
    /// </summary>
    private static string? AddParameters(List<KeyValuePair<string, string>> parameters, string encoded)
    {
        if (encoded.Length == 0)
        {
            return null;
        }

        foreach (var pair in encoded.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            string value = string.Empty;
            string? problem = TryDecode(eq < 0 ? pair : pair[..eq], out string name) ?? TryDecode(eq < 0 ? string.Empty : pair[(eq + 1)..], out value);
            if (problem is not null)
            {
                return problem;
            }

            parameters.Add(new(name, value));
        }

        return null;
    }

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static string? TryDecode(string encoded, out string decoded)
    {
        decoded = string.Empty;
        var bytes = new byte[encoded.Length];
        int n = 0;
        for (int i = 0; i < encoded.Length; i++)
        {
            char c = encoded[i];
            if (c > 0x7F)
            {
                return "invalid-utf8";
            }

            if (c == '%')
            {
                if (i + 2 >= encoded.Length || !char.IsAsciiHexDigit(encoded[i + 1]) || !char.IsAsciiHexDigit(encoded[i + 2]))
                {
                    return "bad-percent-encoding";
                }

                bytes[n++] = byte.Parse(encoded.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                i += 2;
            }
            else
            {
                bytes[n++] = c == '+' ? (byte)' ' : (byte)c;
            }
        }

        try
        {
            decoded = StrictUtf8.GetString(bytes, 0, n);
            return null;
        }
        catch (System.Text.DecoderFallbackException)
        {
            return "invalid-utf8";
        }
    }

    /// <summary>ISO-8601 in UTC with <c>Z</c>; the legacy shape had no offset.</summary>
    private static string Timestamp(DateTimeOffset value, bool legacy) =>
        value.UtcDateTime.ToString(legacy ? "yyyy-MM-dd'T'HH:mm:ss.fff" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
