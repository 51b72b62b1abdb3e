using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using TargetProfileUpdate.Diagnostics;
using TargetProfileUpdate.Http;

namespace TargetProfileUpdate.Contract;

/// <summary>
/// The attribute catalog's part of its call: <c>GET {AdminApiBaseAddress}{tenant}/target/profileattributes/mbox</c> with
/// <c>X-Api-Key</c> and the Admin API's media type (the envelope adds the IMS token); a 2xx is read leniently
/// (<see cref="AdminAttributeCatalog.Parse"/>), never refused for its shape.
/// </summary>
internal readonly struct AttributeCatalogRequest(Uri uri, string apiKey, string? clientSecret) : IProfileApiRequest<AttributeCatalogAnswer>
{
    public ProfileApiEndpoint Endpoint => ProfileApiEndpoint.Catalog;

    public int MaxAnswerBytes => AdminAttributeCatalog.MaxAnswerBytes;

    public HttpRequestMessage CreateMessage()
    {
        var message = new HttpRequestMessage(HttpMethod.Get, uri);
        message.Headers.TryAddWithoutValidation("X-Api-Key", apiKey);
        message.Headers.TryAddWithoutValidation("Accept", "application/vnd.adobe.target.v1+json");
        return message;
    }

    public bool IsAnswer(int status) => status is >= 200 and < 300;

    public AttributeCatalogAnswer ReadAnswer(int status, AttemptFacts facts, out string outcome)
    {
        if (facts.BodyTruncated)
        {
            throw ProfileApiFailures.Create(Endpoint, ProfileApiFailureReason.UnexpectedAnswer,
                string.Create(CultureInfo.InvariantCulture, $"The attribute catalog is larger than {AdminAttributeCatalog.MaxAnswerBytes} bytes, the SDK's cap; it was not read."),
                status, attempts: facts.Attempts);
        }

        var (names, shape) = AdminAttributeCatalog.Parse(facts.Body);
        outcome = names.Count > 0 ? "read" : "empty";
        return new AttributeCatalogAnswer(names, shape);
    }

    public string? Hint(int status) => status switch
    {
        401 or 403 => " Check that the credential's project includes the Adobe Target API, that its product profile has access to the tenant, and AdobeIms:Tenant.",
        404 => " Check AdobeIms:Tenant (the tenant name, as in https://mc.adobe.io/{tenant}/target/…).",
        429 or 503 => " The Admin API allows 50 admin and bulk calls per minute per account; try again in a minute.",
        _ => null,
    };

    public string? KeepBody(ReadOnlySpan<byte> body, string? token) => ResponseBodyRedactor.Redact(body, token, apiKey, clientSecret);

    public void Tag(Activity activity)
    {
    }

    public void Record(ProfileApiInstruments instruments, string outcome, ProfileApiException? error, int attempts, double seconds)
    {
    }
}

/// <summary>The names an answer listed, and which shape gave them (for the debug log).</summary>
internal readonly record struct AttributeCatalogAnswer(IReadOnlySet<string> Names, string Shape);
