using System.Globalization;
using TargetProfileUpdate.Tests.TestSupport;
using static TargetProfileUpdate.Tests.Fetch.FetchTestSupport;

namespace TargetProfileUpdate.Tests.Fetch;

/// <summary>Every answer shape the fetch client reads: current, legacy, loose values, unknown fields, null entries.</summary>
public sealed class FetchResponseShapeTests
{
    private static readonly ProfileId Asked = ProfileId.FromThirdPartyId("crm-1");

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static async Task<TargetProfile> FetchAsync(string json)
    {
        var (fetch, _, _, _) = Create(handler: new RecordingHandler().Then(Json(json)));
        var profile = await fetch.GetProfileAsync(Asked);
        Assert.NotNull(profile);
        return profile;
    }

    [Fact]
    public async Task GetProfileAsync_CurrentShape_ReadsIdsTimestampsAndAttributes()
    {
        var profile = await FetchAsync(CurrentShape);

        Assert.Same(Asked, profile.Id);
        Assert.Equal("1368007744041-575948.01_00", profile.PcId);
        Assert.Equal("1368007744041-575948.01_00", profile.VisitorId);
        Assert.Equal("crm-1", profile.ThirdPartyId);
        Assert.Equal(At("2026-11-23T12:00:00Z"), profile.ModifiedAt);
        Assert.Equal(TimeSpan.Zero, profile.ModifiedAt!.Value.Offset);
        var tier = Assert.Single(profile.Attributes);
        Assert.Equal("tier", tier.Key);
        Assert.Equal("gold", tier.Value.Value);
        Assert.Equal(At("2026-11-23T11:59:00Z"), tier.Value.ModifiedAt);
    }

    [Fact]
    public async Task GetProfileAsync_VisitorIdAsString_IsKept()
    {
        var profile = await FetchAsync("""{"client":"demo","visitorId":"v-1","profileAttributes":{}}""");

        // Adobe documents visitorId as this string: the TNT id, which is the profile's PC id.
        Assert.Equal("v-1", profile.VisitorId);
        Assert.Equal("v-1", profile.PcId);
        Assert.Equal(Asked.Kind == ProfileIdKind.ThirdPartyId ? Asked.Value : null, profile.ThirdPartyId);
        Assert.Null(profile.ModifiedAt);
        Assert.Empty(profile.Attributes);
    }

    [Fact]
    public async Task GetProfileAsync_LegacyShape_ReadsMboxPcThirdPartyIdAndOffsetlessTimestampsAsUtc()
    {
        var profile = await FetchAsync("""
            {
              "client": "demo",
              "mboxPC": "1368007744041-575948.01_00",
              "thirdPartyId": "crm-1",
              "modifiedAt": "2026-11-23T12:00:00",
              "profileAttributes": { "tier": { "value": "gold", "modifiedAt": "2026-11-23T11:59:30.250" } }
            }
            """);

        Assert.Equal("1368007744041-575948.01_00", profile.PcId);
        Assert.Equal("crm-1", profile.ThirdPartyId);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero), profile.ModifiedAt);
        Assert.Equal(TimeSpan.Zero, profile.ModifiedAt!.Value.Offset);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 11, 59, 30, 250, TimeSpan.Zero), profile.Attributes["tier"].ModifiedAt);
    }

    [Fact]
    public async Task GetProfileAsync_TimestampWithOffset_IsTheSameInstant()
    {
        var profile = await FetchAsync("""{"modifiedAt":"2026-11-23T14:00:00+02:00","profileAttributes":{"a":{"value":"x","modifiedAt":1795435200000}}}""");

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero), profile.ModifiedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795435200000), profile.Attributes["a"].ModifiedAt);
    }

    [Fact]
    public async Task GetProfileAsync_UnparseableTimestamps_AreNull()
    {
        var profile = await FetchAsync("""{"modifiedAt":"yesterday","profileAttributes":{"a":{"value":"x","modifiedAt":{"when":1}},"b":{"value":"y","modifiedAt":null}}}""");

        Assert.Null(profile.ModifiedAt);
        Assert.Null(profile.Attributes["a"].ModifiedAt);
        Assert.Null(profile.Attributes["b"].ModifiedAt);
    }

    [Fact]
    public async Task GetProfileAsync_NamesWithDotsAndCase_AreKeptExactly()
    {
        var profile = await FetchAsync("""
            {"profileAttributes":{
              "user.memberlevel":{"value":"gold"},
              "a.b.c":{"value":"1"},
              "Tier":{"value":"upper"},
              "tier":{"value":"lower"}
            }}
            """);

        Assert.Equal(["Tier", "a.b.c", "tier", "user.memberlevel"], profile.Attributes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("gold", profile.Attributes["user.memberlevel"].Value);
        Assert.Equal("upper", profile.Attributes["Tier"].Value);
        Assert.Equal("lower", profile.Attributes["tier"].Value);
        Assert.False(profile.Attributes.ContainsKey("TIER"));
    }

    [Fact]
    public async Task GetProfileAsync_NumbersAndBooleans_AreReadAsWritten()
    {
        var profile = await FetchAsync("""{"profileAttributes":{"visits":{"value":42},"ratio":{"value":1.50},"big":{"value":12345678901234567890},"vip":{"value":true},"churned":{"value":false}}}""");

        Assert.Equal("42", profile.Attributes["visits"].Value);
        Assert.Equal("1.50", profile.Attributes["ratio"].Value);
        Assert.Equal("12345678901234567890", profile.Attributes["big"].Value);
        Assert.Equal("true", profile.Attributes["vip"].Value);
        Assert.Equal("false", profile.Attributes["churned"].Value);
    }

    [Fact]
    public async Task GetProfileAsync_StringValues_AreUnescapedJson()
    {
        var profile = await FetchAsync("""{"profileAttributes":{"s":{"value":"caf\u00e9 \"q\" a\/b \ud83d\ude00 东京"},"empty":{"value":""}}}""");

        Assert.Equal("café \"q\" a/b 😀 东京", profile.Attributes["s"].Value);
        Assert.Equal(string.Empty, profile.Attributes["empty"].Value);
    }

    [Fact]
    public async Task GetProfileAsync_UnknownFields_AreIgnored()
    {
        var profile = await FetchAsync("""
            {
              "client": "demo",
              "requestId": "r-1",
              "extra": { "nested": [1, 2, { "x": null }] },
              "visitorId": { "tntId": "p-1", "thirdPartyId": "crm-1", "marketingCloudVisitorId": "e-1", "future": 1 },
              "profileAttributes": { "tier": { "value": "gold", "source": "api", "ttl": 3 } },
              "trailing": true
            }
            """);

        Assert.Equal("p-1", profile.PcId);
        Assert.Equal("gold", Assert.Single(profile.Attributes).Value.Value);
    }

    // Issue 19 item 13: an attribute whose value was an object, an array or null (or that had no value) was silently left
    // out, so a caller read a profile without it as if it were complete. Such an answer is now refused, whole.
    [Theory]
    [InlineData("""{"visitorId":"v-1","profileAttributes":{"kept":{"value":"x"},"object":{"value":{"a":1}}}}""")]
    [InlineData("""{"visitorId":"v-1","profileAttributes":{"kept":{"value":"x"},"array":{"value":[1]}}}""")]
    [InlineData("""{"visitorId":"v-1","profileAttributes":{"kept":{"value":"x"},"nullvalue":{"value":null}}}""")]
    [InlineData("""{"visitorId":"v-1","profileAttributes":{"kept":{"value":"x"},"novalue":{"modifiedAt":"2026-11-23T12:00:00Z"}}}""")]
    [InlineData("""{"visitorId":"v-1","profileAttributes":{"kept":{"value":"x"},"gone":null}}""")]
    public async Task GetProfileAsync_AttributeValueThatIsNotAStringNumberOrBoolean_IsNotSilentlyDropped(string json)
    {
        var (fetch, _, _, _) = Create(handler: new RecordingHandler().Then(Json(json)));

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => fetch.GetProfileAsync(Asked));

        Assert.Equal(ProfileApiFailureReason.UnexpectedAnswer, ex.Reason);
        Assert.Equal(200, ex.StatusCode);
        Assert.Equal(1, ex.Attempts);
        Assert.Contains("1 attribute(s) whose value is not a string, a number or a boolean", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("crm-1", ex.Message, StringComparison.Ordinal);
    }

    // Issue 19 item 13: any 200 JSON object was a profile; {} and an answer with only nulls gave an empty TargetProfile,
    // which a caller cannot tell from a real profile without attributes.
    [Theory]
    [InlineData("{}")]
    [InlineData("""{"client":"demo"}""")]
    [InlineData("""{"client":"demo","profileAttributes":null,"visitorId":null,"mboxPC":null}""")]
    [InlineData("""{"status":500,"message":"internal error"}""")]
    public async Task GetProfileAsync_200WithoutAProfile_IsAnUnexpectedAnswerNotAnEmptyProfile(string json)
    {
        var (fetch, _, _, _) = Create(handler: new RecordingHandler().Then(Json(json)));

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => fetch.GetProfileAsync(Asked));

        Assert.Equal(ProfileApiFailureReason.UnexpectedAnswer, ex.Reason);
        Assert.Equal(200, ex.StatusCode);
        Assert.Contains("not", ex.Message, StringComparison.Ordinal);
    }

    // The error object's status is quoted in the message only when it is an HTTP status: a server echoing a numeric id
    // there (found by review of the fix above) must not put the id into the exception.
    [Fact]
    public async Task GetProfileAsync_200ErrorObjectWithANumericIdAsStatus_KeepsTheNumberOutOfTheMessage()
    {
        var (fetch, _, _, _) = Create(handler: new RecordingHandler().Then(Json("""{"status":7731184200,"message":"x"}""")));

        var ex = await Assert.ThrowsAsync<ProfileApiException>(() => fetch.GetProfileAsync(Asked));

        Assert.Equal(ProfileApiFailureReason.UnexpectedAnswer, ex.Reason);
        Assert.DoesNotContain("7731184200", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("7731184200", ex.ResponseBody ?? string.Empty, StringComparison.Ordinal);
    }

    // Issue 19 item 13: Adobe's not-found body behind a 200 (a gateway rewriting the status) was an empty profile; it is
    // read as what it says, no profile, as a 404 is.
    [Fact]
    public async Task GetProfileAsync_200WithTheNotFoundBody_IsNoProfile()
    {
        var (fetch, _, _, _) = Create(handler: new RecordingHandler().Then(Json(NotFound)));

        Assert.Null(await fetch.GetProfileAsync(Asked));
    }

    // Issue 19 item 13: a UTF-8 byte order mark before the JSON made the answer "not the expected JSON".
    [Fact]
    public async Task GetProfileAsync_AnswerWithAUtf8ByteOrderMark_IsRead()
    {
        var content = new ByteArrayContent([0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(CurrentShape)]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var (fetch, _, _, _) = Create(handler: new RecordingHandler().Then(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = content }));

        var profile = await fetch.GetProfileAsync(Asked);

        Assert.NotNull(profile);
        Assert.Equal("gold", profile.Attributes["tier"].Value);
    }

    [Fact]
    public async Task GetProfileAsync_ProfileWithIdsButEmptyOrNullAttributes_IsAnEmptyProfile()
    {
        var empty = await FetchAsync("""{"client":"demo","visitorId":"v-1","profileAttributes":{}}""");
        var nulled = await FetchAsync("""{"client":"demo","profileAttributes":null,"visitorId":null,"mboxPC":"pc-1"}""");

        Assert.Empty(empty.Attributes);
        Assert.Empty(nulled.Attributes);
        Assert.Equal("pc-1", nulled.PcId);
    }

    [Fact]
    public async Task GetProfileAsync_LegacyTopLevelIds_WinOverTheVisitorObject()
    {
        var profile = await FetchAsync("""{"mboxPC":"legacy-pc","thirdPartyId":"legacy-3p","visitorId":{"tntId":"new-pc","thirdPartyId":"new-3p"}}""");

        Assert.Equal("legacy-pc", profile.PcId);
        Assert.Equal("legacy-3p", profile.ThirdPartyId);
    }
}
