using System.Net;
using System.Text;
using TargetProfileUpdate.Http;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Http;

/// <summary>Echoes of an id, a value or a token the redactor must recognise, each in the form a server might use.</summary>
public sealed class ResponseBodyRedactorTests
{
    private static string? Redact(string body, ProfileUpdate update, string? token = null) =>
        ResponseBodyRedactor.Redact(System.Text.Encoding.UTF8.GetBytes(body), update, token);

    private static ProfileUpdate UpdateWithValue(string value) => ProfileUpdate.ForThirdPartyId("crm-7731").Set("name", value);

    [Fact]
    public void Redactor_PlusForSpaceEcho_IsRedacted()
    {
        string? redacted = Redact("bad value name=Jane+Doe%2BSecret&x=1", UpdateWithValue("Jane Doe+Secret"));

        Assert.Equal("bad value name=***&x=1", redacted);
    }

    [Theory]
    [InlineData("a%2bb%2fc%3d")]
    [InlineData("a%2Bb%2Fc%3D")]
    [InlineData("a%2Bb%2fc%3d")]
    public void Redactor_LowercasePercentHexEcho_IsRedacted(string echo)
    {
        string? redacted = Redact("value [" + echo + "] refused", UpdateWithValue("a+b/c="));

        Assert.Equal("value [***] refused", redacted);
    }

    [Theory]
    [InlineData("Zo\\u00ebM\\u00fcller")]
    [InlineData("Zo\\u00EBM\\u00FCller")]
    [InlineData("Zo\\u00ebM\\u00FCller")]
    [InlineData("Zo%C3%ABM%c3%bcller")]
    public void Redactor_JsonUnicodeEscapeEcho_IsRedacted(string echo)
    {
        string? redacted = Redact("{\"error\":\"unknown value " + echo + "\"}", UpdateWithValue("ZoëMüller"));

        Assert.Equal("{\"error\":\"unknown value ***\"}", redacted);
    }

    [Theory]
    [InlineData("\\uD83D\\uDE00 party")]
    [InlineData("\\ud83d\\ude00 party")]
    [InlineData("%F0%9F%98%80 party")]
    [InlineData("&#128512; party")]
    [InlineData("&#x1F600; party")]
    public void Redactor_SurrogatePairEscapeEcho_IsRedacted(string echo)
    {
        string? redacted = Redact("{\"error\":\"" + echo + "\"}", UpdateWithValue("😀 party"));

        Assert.Equal("{\"error\":\"***\"}", redacted);
    }

    [Theory]
    [InlineData("Caf&#233; &lt;Tom &amp; &apos;Jerry&apos;&gt; &quot;x&quot;")]
    [InlineData("Caf&#xE9; &lt;Tom &amp; &#39;Jerry&#39;&gt; &#34;x&#34;")]
    [InlineData("Caf&#xe9; &LT;Tom &AMP; &#x27;Jerry&#X27;&GT; &quot;x&quot;")]
    [InlineData("Caf&eacute; &lt;Tom &amp; 'Jerry'&gt; \"x\"")]
    public void Redactor_HtmlEntityEcho_IsRedacted(string echo)
    {
        string? redacted = Redact("<p>Unknown value " + echo + "</p>", UpdateWithValue("Café <Tom & 'Jerry'> \"x\""));

        Assert.Equal("<p>Unknown value ***</p>", redacted);
    }

    [Fact]
    public void Redactor_UrlEncodedTokenEcho_IsRedacted()
    {
        string? redacted = Redact("invalid token=abc%2Fdef%2Bghi%3D.", UpdateWithValue("gold"), token: "abc/def+ghi=");

        Assert.Equal("invalid token=***.", redacted);
    }

    [Fact]
    public void Redactor_JsonEscapedSlashInTokenEcho_IsRedacted()
    {
        string? redacted = Redact("{\"token\":\"abc\\/def+ghi=\"}", UpdateWithValue("gold"), token: "abc/def+ghi=");

        Assert.Equal("{\"token\":\"***\"}", redacted);
    }

    [Fact]
    public void Redactor_UppercasedIdEcho_IsRedacted()
    {
        string? redacted = Redact("NO PROFILE FOUND FOR CRM-7731", UpdateWithValue("gold"));

        Assert.Equal("NO PROFILE FOUND FOR ***", redacted);
    }

    [Fact]
    public void Redactor_SecretAcrossTheOld2KbDecodeWindow_LeavesNoPart()
    {
        // 97 echoes of 21 bytes fill 2,037 bytes; the 98th crosses byte 2,048, where the old redactor stopped decoding.
        const string value = "Platinum Card Holder";
        var body = new StringBuilder();
        for (int i = 0; i < 120; i++)
        {
            body.Append(value).Append('|');
        }

        string? redacted = Redact(body.ToString(), UpdateWithValue(value));

        Assert.NotNull(redacted);
        Assert.Matches("^(\\*\\*\\*\\|)+$", redacted);
        Assert.DoesNotContain("Plat", redacted, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Redactor_BodyCutMidSecretAtTheReadLimit_LeavesNoPrefix()
    {
        // A long value, so that the masked text is short enough for the end of a 4 KB body to reach the output.
        string value = string.Concat(Enumerable.Repeat("Platinum Card Holder/", 10));
        var echoes = new StringBuilder();
        while (echoes.Length < 2 * TargetProfileUpdate.Http.AttemptFacts.DefaultMaxBodyBytes)
        {
            echoes.Append(value).Append('|');
        }

        for (int shift = 0; shift <= value.Length + 1; shift++)
        {
            // The reader keeps the first 4 KB: a leading filler moves the cut through every offset of an echo.
            byte[] full = System.Text.Encoding.UTF8.GetBytes(new string('.', shift) + echoes);
            byte[] body = full.AsSpan(0, TargetProfileUpdate.Http.AttemptFacts.DefaultMaxBodyBytes).ToArray();

            string? redacted = ResponseBodyRedactor.Redact(body, UpdateWithValue(value), token: null);

            Assert.NotNull(redacted);
            Assert.Matches("^\\.*(\\*\\*\\*\\|)*(\\*\\*\\*)?$", redacted);
        }
    }

    [Fact]
    public void Redactor_SecretAcrossTheOutputLimit_IsMaskedBeforeTruncation()
    {
        const string value = "Platinum Card Holder";
        string body = new string('.', ResponseBodyRedactor.MaxLength - 5) + value + new string('.', 100);

        string? redacted = Redact(body, UpdateWithValue(value));

        Assert.Equal(new string('.', ResponseBodyRedactor.MaxLength - 5) + "***" + new string('.', 2) + "…", redacted);
    }

    [Fact]
    public void Redactor_ShortValues_AreLeftAlone()
    {
        var update = ProfileUpdate.ForThirdPartyId("crm-7731").Set("a", "0").Set("b", "ab");

        Assert.Equal("error 0 ab", Redact("error 0 ab", update));
    }

    [Fact]
    public async Task UpdateAsync_ErrorBodyEchoingSecretsInOtherEncodings_ResponseBodyCarriesNone()
    {
        // Through the client: every echo the old redactor missed, of the id, the value and the token, in one 400 body.
        string body = "id=jane.doe-7731%40example.com value=Platinum+Card+Holder token=tok-secret-0123456789 "
            + "{\"id\":\"jane.doe\u002d7731\u0040example.com\",\"v\":\"Platinum&#32;Card&#x20;Holder\"} "
            + "JANE.DOE-7731@EXAMPLE.COM platinum%20card%20holder end";
        var handler = new RecordingHandler().Always(() => RecordingHandler.Text(HttpStatusCode.BadRequest, body));
        var (client, _, services) = TestClients.Create(o => o.AuthorizationToken = PersonalData.Token, handler);
        using var _ = services;

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => client.UpdateAsync(PersonalData.Update()));

        Assert.Equal(
            "id=*** value=*** token=*** {\"id\":\"***\",\"v\":\"***\"} *** *** end",
            ex.ResponseBody);
    }

    [Fact]
    public void Redactor_EmptyBody_IsNull()
    {
        Assert.Null(ResponseBodyRedactor.Redact([], UpdateWithValue("gold"), token: null));
    }
}
