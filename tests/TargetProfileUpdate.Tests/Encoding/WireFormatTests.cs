using System.Globalization;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Encoding;

public sealed class WireFormatTests
{
    [Fact]
    public async Task UpdateAsync_DocumentedPcIdExample_PutsExactUrlOnTheWire()
    {
        var (client, handler, _) = TestClients.Create();

        await client.UpdateAsync(ProfileUpdate.ForPcId("1368007744041-575948.01_00").Set("attr", "0").Set("attr2", "1"));

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal(TestClients.UpdateUrl + "?mboxPC=1368007744041-575948.01_00&profile.attr=0&profile.attr2=1", request.Url);
        Assert.Empty(request.Body);
    }

    [Fact]
    public async Task UpdateAsync_ThirdPartyId_SendsMbox3rdPartyIdFirstThenAttributesInInsertionOrder()
    {
        var (client, handler, _) = TestClients.Create();

        await client.UpdateAsync(ProfileUpdate.ForThirdPartyId("crm-42").Set("z", "1").Set("a", "2").Set("m", "3"));

        Assert.Equal(TestClients.UpdateUrl + "?mbox3rdPartyId=crm-42&profile.z=1&profile.a=2&profile.m=3", Assert.Single(handler.Requests).Url);
    }

    [Theory]
    [InlineData("a b", "a%20b")]
    [InlineData("a+b", "a%2Bb")]
    [InlineData("a&b=c", "a%26b%3Dc")]
    [InlineData("a#b", "a%23b")]
    [InlineData("100%", "100%25")]
    [InlineData("café", "caf%C3%A9")]
    [InlineData("東京", "%E6%9D%B1%E4%BA%AC")]
    [InlineData("😀", "%F0%9F%98%80")]
    [InlineData("line\r\nbreak", "line%0D%0Abreak")]
    [InlineData("nul\0byte", "nul%00byte")]
    [InlineData("AZaz09-._~", "AZaz09-._~")]
    [InlineData("/?:@!$'()*,;[]", "%2F%3F%3A%40%21%24%27%28%29%2A%2C%3B%5B%5D")]
    [InlineData("", "")]
    public async Task UpdateAsync_Value_IsUtf8PercentEncodedWithUppercaseHex(string value, string expected)
    {
        var (client, handler, _) = TestClients.Create();

        await client.UpdateAsync(ProfileUpdate.ForThirdPartyId("id").Set("v", value));

        Assert.Equal(TestClients.UpdateUrl + "?mbox3rdPartyId=id&profile.v=" + expected, Assert.Single(handler.Requests).Url);
    }

    [Fact]
    public async Task UpdateAsync_NamesAndIds_AreEncodedLikeValues()
    {
        var (client, handler, _) = TestClients.Create();

        await client.UpdateAsync(ProfileUpdate.ForThirdPartyId("a b/ü").Set("fav colour", "x").Set("a.b", "y"));

        Assert.Equal(TestClients.UpdateUrl + "?mbox3rdPartyId=a%20b%2F%C3%BC&profile.fav%20colour=x&profile.a.b=y", Assert.Single(handler.Requests).Url);
    }

    [Fact]
    public async Task UpdateAsync_NameWithProfilePrefix_IsNotDoubled()
    {
        var (client, handler, _) = TestClients.Create();

        await client.UpdateAsync(ProfileUpdate.ForPcId("pc").Set("profile.tier", "gold"));

        Assert.EndsWith("?mboxPC=pc&profile.tier=gold", Assert.Single(handler.Requests).Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateAsync_TypedValuesUnderGermanCulture_AreCultureInvariant()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            var (client, handler, _) = TestClients.Create();
            var update = ProfileUpdate.ForPcId("pc")
                .Set("d", 1234.5)
                .Set("m", 1234567.891m)
                .Set("l", -1234567L)
                .Set("b", true)
                .Set("f", false)
                .Set("t", new DateTimeOffset(2026, 11, 23, 18, 59, 37, 123, TimeSpan.FromHours(1)));

            await client.UpdateAsync(update);

            Assert.Equal(
                TestClients.UpdateUrl + "?mboxPC=pc&profile.d=1234.5&profile.m=1234567.891&profile.l=-1234567&profile.b=true&profile.f=false&profile.t=2026-11-23T18%3A59%3A37.1230000%2B01%3A00",
                Assert.Single(handler.Requests).Url);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public async Task UpdateAsync_WithToken_SendsBearerHeaderOnEveryRequest()
    {
        var (client, handler, _) = TestClients.Create(o => o.AuthorizationToken = "tok-123.ABC");

        await client.UpdateAsync(ProfileUpdate.ForPcId("pc").Set("a", "1"));

        Assert.Equal("Bearer tok-123.ABC", Assert.Single(handler.Requests).Authorization);
    }

    [Fact]
    public async Task UpdateAsync_WithoutToken_SendsNoAuthorizationHeader()
    {
        var (client, handler, _) = TestClients.Create();

        await client.UpdateAsync(ProfileUpdate.ForPcId("pc").Set("a", "1"));

        Assert.Null(Assert.Single(handler.Requests).Authorization);
    }

    [Fact]
    public async Task UpdateAsync_CustomBaseAddress_KeepsItsPathAndAddsTheUpdatePath()
    {
        var (client, handler, _) = TestClients.Create(o => o.BaseAddress = new Uri("http://127.0.0.1:5080/target"));

        await client.UpdateAsync(ProfileUpdate.ForPcId("pc").Set("a", "1"));

        Assert.Equal("http://127.0.0.1:5080/target/m2/demo/profile/update?mboxPC=pc&profile.a=1", Assert.Single(handler.Requests).Url);
    }
}
