using System.Net;
using System.Text;
using TargetProfileUpdate.Http;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Http;

/// <summary>
/// What a failing answer's body may keep (docs/adr/0004): the documented shapes' code fields, never free text. Each echo
/// the old deny-list had to recognise is here again, in the places a server puts it: none survives.
/// </summary>
public sealed class ResponseBodyRedactorTests
{
    private static string? Redact(string body, ProfileUpdate update, string? token = null) =>
        ResponseBodyRedactor.Redact(System.Text.Encoding.UTF8.GetBytes(body), update, token);

    private static ProfileUpdate UpdateWithValue(string value) => ProfileUpdate.ForThirdPartyId("crm-7731").Set("name", value);

    private static void AssertNothingOf(string? kept, params string[] forms)
    {
        foreach (string form in forms)
        {
            Assert.DoesNotContain(form, kept ?? string.Empty, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData("bad value name=Jane+Doe%2BSecret&x=1", "Jane Doe+Secret", "Jane")]
    [InlineData("value [a%2bb%2fc%3d] refused", "a+b/c=", "a%2b")]
    [InlineData("{\"error\":\"unknown value Zo\\u00ebM\\u00fcller\"}", "ZoëMüller", "Zo")]
    [InlineData("{\"error\":\"\\uD83D\\uDE00 party\"}", "😀 party", "party")]
    [InlineData("<p>Unknown value Caf&#233; &lt;Tom &amp; &apos;Jerry&apos;&gt;</p>", "Café <Tom & 'Jerry'>", "Jerry")]
    [InlineData("NO PROFILE FOUND FOR CRM-7731", "gold", "CRM-7731")]
    public void Redactor_EchoInFreeText_KeepsNoneOfIt(string body, string value, string fragment)
    {
        string? kept = Redact(body, UpdateWithValue(value));

        Assert.Null(kept);
        AssertNothingOf(kept, value, fragment, "crm-7731");
    }

    [Theory]
    [InlineData("{\"token\":\"abc\\/def+ghi=\"}")]
    [InlineData("invalid token=abc%2Fdef%2Bghi%3D.")]
    [InlineData("{\"error\":\"abc/def+ghi=\"}")]
    public void Redactor_TokenEcho_IsNeverKept(string body)
    {
        string? kept = Redact(body, UpdateWithValue("gold"), token: "abc/def+ghi=");

        Assert.Null(kept);
    }

    [Theory]
    [InlineData("{\"error\":\"invalid_client\",\"error_description\":\"client_secret s3cr3t-value is wrong\"}", "error=invalid_client")]
    [InlineData("{\"httpStatus\":401,\"requestId\":\"a1b2-c3\",\"requestTime\":\"2026-12-02T05:00:00Z\",\"errors\":[{\"errorCode\":\"Unauthorized\",\"message\":\"token crm-7731 bad\"}]}", "httpStatus=401, requestId=a1b2-c3, errorCode=Unauthorized")]
    [InlineData("{\"status\":404,\"message\":\"No profile found for client demo with third party id=crm-7731\"}", "status=404")]
    [InlineData("<response><success>false</success><message>crm-7731 refused</message></response>", "success=false")]
    [InlineData("falseValue gold refused for crm-7731", "success=false")]
    [InlineData("<?xml version=\"1.0\"?><response><batchId>b-17</batchId><status>stuck</status></response>", "batchId=b-17, status=stuck")]
    public void Redactor_DocumentedShape_KeepsOnlyItsCodeFields(string body, string expected)
    {
        string? kept = Redact(body, UpdateWithValue("gold"));

        Assert.Equal(expected, kept);
        AssertNothingOf(kept, "crm-7731", "s3cr3t", "gold");
    }

    [Theory]
    [InlineData("{\"errorCode\":\"crm-7731\"}")]
    [InlineData("{\"error\":\"CRM-7731-unknown\"}")]
    [InlineData("<response><status>GOLD</status></response>")]
    public void Redactor_SecretAsACodeFieldsValue_IsDropped(string body)
    {
        Assert.Null(Redact(body, UpdateWithValue("gold")));
    }

    [Theory]
    [InlineData("<!DOCTYPE r [<!ENTITY x \"crm-7731\">]><response><status>&x;</status></response>")]
    [InlineData("<html><body><h1>502 Bad Gateway</h1></body></html>")]
    [InlineData("{\"status\":")]
    [InlineData("busy")]
    public void Redactor_UnknownOrHostileShape_KeepsNothingItCannotVouchFor(string body)
    {
        string? kept = Redact(body, UpdateWithValue("gold"));

        AssertNothingOf(kept, "crm-7731", "Bad Gateway", "busy");
    }

    [Fact]
    public void Redactor_ManyCodeFields_StayWithinTheOutputLimit()
    {
        string body = "{\"errors\":[" + string.Join(",", Enumerable.Range(0, 200).Select(i => "{\"errorCode\":\"E" + i + "\"}")) + "]}";

        string? kept = Redact(body, UpdateWithValue("gold"));

        Assert.NotNull(kept);
        Assert.True(kept.Length <= ResponseBodyRedactor.MaxLength, kept.Length + " characters");
        Assert.StartsWith("errorCode=E0, errorCode=E1", kept, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateAsync_ErrorBodyEchoingSecretsInOtherEncodings_ResponseBodyCarriesNone()
    {
        // Through the client: every echo the old deny-list missed, of the id, the value and the token, in one 400 body of free text.
        string body = "id=jane.doe-7731%40example.com value=Platinum+Card+Holder token=tok-secret-0123456789 "
            + "{\"id\":\"jane.doe\u002d7731\u0040example.com\",\"v\":\"Platinum&#32;Card&#x20;Holder\"} "
            + "JANE.DOE-7731@EXAMPLE.COM platinum%20card%20holder end";
        var handler = new RecordingHandler().Always(() => RecordingHandler.Text(HttpStatusCode.BadRequest, body));
        var (client, _, services) = TestClients.Create(o => o.AuthorizationToken = PersonalData.Token, handler);
        using var _ = services;

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => client.UpdateAsync(PersonalData.Update()));

        Assert.Null(ex.ResponseBody);
        PersonalData.AssertAbsentFrom([ex.ToString()]);
    }

    /// <summary>Regression: a code field whose value was the id, a value or the token in base64 (unpadded, standard or URL-safe)
    /// or hex was kept, because only the raw text of a secret was looked for.</summary>
    [Theory]
    [InlineData("requestId", PersonalData.Id)]
    [InlineData("errorCode", PersonalData.Value)]
    [InlineData("code", PersonalData.Token)]
    public void Redactor_CodeFieldCarryingBase64OrHexOfASecret_IsDropped(string field, string secret)
    {
        byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(secret);
        string base64 = Convert.ToBase64String(utf8).TrimEnd('=');
        string[] forms =
        [
            base64,
            base64.Replace('+', '-').Replace('/', '_'),
            Convert.ToBase64String([.. "E:"u8, .. utf8]).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            Convert.ToBase64String([.. "E"u8, .. utf8]).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            Convert.ToHexString(utf8),
            "ERR-" + Convert.ToHexString(utf8).ToLowerInvariant(),
        ];

        foreach (string form in forms)
        {
            string body = "{\"status\":400,\"" + field + "\":\"" + form + "\"}";

            string? kept = ResponseBodyRedactor.Redact(System.Text.Encoding.UTF8.GetBytes(body), PersonalData.Update(), PersonalData.Token);

            Assert.Equal("status=400", kept);
        }
    }

    [Fact]
    public void Redactor_EmptyBody_IsNull()
    {
        Assert.Null(ResponseBodyRedactor.Redact([], UpdateWithValue("gold"), token: null));
    }
}
