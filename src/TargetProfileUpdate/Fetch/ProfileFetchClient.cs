using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using TargetProfileUpdate.DependencyInjection;
using TargetProfileUpdate.Diagnostics;
using TargetProfileUpdate.Encoding;
using TargetProfileUpdate.Fetch;
using TargetProfileUpdate.Http;

namespace TargetProfileUpdate;

/// <summary>
/// Reads visitor profiles from Adobe Target's Profile Fetch API (<c>GET /rest/v1/profiles/…?client={clientCode}</c>).
/// Registered by <c>AddTargetProfileUpdate</c> for every account; sealed, immutable and thread-safe.
/// </summary>
/// <remarks>
/// Calls share the account's token provider and HTTP client, and are retried like updates (connection failures,
/// timeouts, 408/429/5xx), with a circuit breaker of their own; they do not use up the update quota. An answer larger
/// than <see cref="MaxAnswerBytes"/> is refused (a profile holds at most 64 KB of external data).
/// </remarks>
public sealed class ProfileFetchClient : IProfileFetchClient
{
    /// <summary>The largest answer read: 1 MiB.</summary>
    public const int MaxAnswerBytes = 1024 * 1024;

    private const string What = "The profile fetch";
    private static readonly UriCreationOptions NoCanonicalization = new() { DangerousDisablePathAndQueryCanonicalization = true };

    private readonly TargetAccount _account;
    private readonly string _profilesUrl;
    private readonly string _query;

    internal ProfileFetchClient(TargetAccount account)
    {
        _account = account;
        _profilesUrl = account.BaseAddress.AbsoluteUri + "rest/v1/profiles/";
        _query = "?client=" + account.Options.ClientCode;
    }

    /// <inheritdoc />
    public Task<TargetProfile?> GetProfileAsync(ProfileId id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return cancellationToken.IsCancellationRequested ? Task.FromCanceled<TargetProfile?>(cancellationToken) : GetCoreAsync(id, cancellationToken);
    }

    /// <summary>The request URL: the id is one path segment, percent-encoded (UTF-8, RFC 3986 unreserved kept).</summary>
    internal Uri BuildUri(ProfileId id)
    {
        string prefix = _profilesUrl + id.Kind switch
        {
            ProfileIdKind.PcId => string.Empty,
            ProfileIdKind.ThirdPartyId => "thirdPartyId/",
            _ => "marketingCloudVisitorId/",
        };
        int length = prefix.Length + ProfileUpdateEncoder.GetEncodedLength(id.Value) + _query.Length;
        string url = string.Create(length, (Prefix: prefix, Id: id.Value, Query: _query), static (span, s) =>
        {
            s.Prefix.CopyTo(span);
            int written = ProfileUpdateEncoder.Write(s.Id.AsSpan(), span[s.Prefix.Length..]);
            s.Query.CopyTo(span[(s.Prefix.Length + written)..]);
        });
        return new Uri(url, NoCanonicalization);
    }

    private async Task<TargetProfile?> GetCoreAsync(ProfileId id, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        using var activity = ProfileUpdateTelemetry.ActivitySource.StartActivity(ProfileUpdateTelemetry.FetchActivityName, ActivityKind.Internal);
        using var state = new RequestState(static s => new HttpRequestMessage(HttpMethod.Get, s.RequestUri), id, MaxAnswerBytes)
        {
            RequestUri = BuildUri(id),
        };
        string outcome = "unexpected";
        try
        {
            HttpResponseMessage response;
            try
            {
                response = await _account.FetchSender.SendAsync(state, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                outcome = "canceled";
                throw;
            }
            catch (Exception ex) when (ex is not ProfileApiException)
            {
                throw NoAnswer(ex, id, state);
            }
            catch (ProfileApiAuthenticationException)
            {
                state.Reason = FailureReason.Authentication;
                throw;
            }

            using (response)
            {
                int status = (int)response.StatusCode;
                if (status == 404)
                {
                    outcome = "not_found";
                    return null;
                }

                if (status is >= 200 and < 300)
                {
                    if (state.BodyTruncated)
                    {
                        throw Fail(new ApiFailure(FailureReason.UnknownAnswer,
                            string.Create(CultureInfo.InvariantCulture, $"The profile answer is larger than {MaxAnswerBytes} bytes, the SDK's cap (a profile holds at most 64 KB of external data); it was not read."),
                            status, null, state.Attempts, false), state);
                    }

                    var profile = Parse(id, state);
                    outcome = "found";
                    return profile;
                }

                string? hint = status == 429 && state.LastRetryAfter is { } wait
                    ? string.Create(CultureInfo.InvariantCulture, $" Adobe's fetch limit was reached; the server asked to wait {wait.TotalSeconds:0.###} s. Its answer is in ResponseBody.")
                    : status == 429 ? " Adobe's fetch limit was reached; the server's answer (which may name the wait) is in ResponseBody." : null;
                throw Fail(ApiFailure.FromStatus(status, state, What, Redact(state.Body, id, state), hint), state);
            }
        }
        catch (ProfileApiException) when (outcome == "unexpected")
        {
            outcome = state.Reason.ToTag();
            throw;
        }
        finally
        {
            _account.Telemetry.Fetches.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
            if (activity is not null)
            {
                activity.SetTag("target.profile_fetch.id_kind", id.Kind.ToString());
                activity.SetTag("target.profile_fetch.outcome", outcome);
                activity.SetTag("target.profile_fetch.attempts", state.Attempts);
                if (outcome is not ("found" or "not_found"))
                {
                    activity.SetStatus(ActivityStatusCode.Error, outcome);
                }
            }

            _account.Telemetry.FetchDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    private static ProfileApiException Fail(ApiFailure failure, RequestState state)
    {
        state.Reason = failure.Reason;
        return failure.ToApiException();
    }

    private static ProfileApiException NoAnswer(Exception ex, ProfileId id, RequestState state) =>
        Fail(ApiFailure.FromException(ex, state, What, body => Redact(body, id, state)), state);

    private static string? Redact(ReadOnlySpan<byte> body, ProfileId id, RequestState state) => ResponseBodyRedactor.Redact(body, id.Value, state.Token);

    private static TargetProfile Parse(ProfileId id, RequestState state)
    {
        ProfileAnswer? answer;
        try
        {
            answer = JsonSerializer.Deserialize(state.Body, FetchJsonContext.Default.ProfileAnswer);
        }
        catch (JsonException)
        {
            answer = null;
        }

        if (answer is null)
        {
            throw Fail(new ApiFailure(FailureReason.UnknownAnswer, "The profile answer was not the expected JSON; it was not read.", state.LastStatus, null, state.Attempts, false), state);
        }

        var attributes = new Dictionary<string, ProfileAttribute>(answer.ProfileAttributes?.Count ?? 0, StringComparer.Ordinal);
        if (answer.ProfileAttributes is { } source)
        {
            foreach (var (name, attribute) in source)
            {
                if (attribute?.Value is { } value && Text(value) is { } text)
                {
                    attributes[name] = new ProfileAttribute(text, Timestamp(attribute.ModifiedAt));
                }
            }
        }

        // The current shape gives visitorId as an object { tntId, thirdPartyId, marketingCloudVisitorId }; older answers gave
        // a string, with mboxPC and thirdPartyId at the top.
        string? visitorId = Text(answer.VisitorId);
        string? thirdPartyId = Text(answer.ThirdPartyId);
        string? pcId = Text(answer.PcId);
        if (answer.VisitorId is { ValueKind: JsonValueKind.Object } visitor)
        {
            pcId ??= Member(visitor, "tntId");
            thirdPartyId ??= Member(visitor, "thirdPartyId");
            visitorId = pcId;
        }

        return new TargetProfile(id, attributes, visitorId, thirdPartyId, pcId, Timestamp(answer.ModifiedAt));
    }

    private static string? Member(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? Text(value) : null;

    /// <summary>A JSON value as text: strings as they are, numbers and booleans as written; null for null or structures.</summary>
    private static string? Text(JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.String } e => e.GetString(),
        { ValueKind: JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } e => e.GetRawText(),
        _ => null,
    };

    /// <summary>ISO-8601 with or without an offset (legacy answers have none: read as UTC), or Unix milliseconds.</summary>
    private static DateTimeOffset? Timestamp(JsonElement? element)
    {
        if (element is { ValueKind: JsonValueKind.Number } number && number.TryGetInt64(out long ms))
        {
            return ms is > -62135596800000 and < 253402300800000 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        }

        return element is { ValueKind: JsonValueKind.String } text
            && DateTimeOffset.TryParse(text.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : null;
    }
}
