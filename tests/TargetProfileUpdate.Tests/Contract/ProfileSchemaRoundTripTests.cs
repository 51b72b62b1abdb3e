using System.Globalization;
using TargetProfileUpdate.Tests.TestSupport;

namespace TargetProfileUpdate.Tests.Contract;

public enum Tier
{
    Bronze,
    Silver,
    Gold,
}

/// <summary>Every supported type, plain and nullable, compiled by the real generator (an analyzer of this project).</summary>
[ProfileAttributes]
public sealed partial record EverySupportedType
{
    public string? Text { get; set; }

    public bool Flag { get; set; }

    public bool? MaybeFlag { get; set; }

    public int Count { get; set; }

    public int? MaybeCount { get; set; }

    public long Big { get; set; }

    public long? MaybeBig { get; set; }

    public double Ratio { get; set; }

    public double? MaybeRatio { get; set; }

    public decimal Amount { get; set; }

    [ProfileAttribute("ltv")]
    public decimal? LifetimeValue { get; set; }

    public DateTimeOffset When { get; set; }

    public DateTimeOffset? MaybeWhen { get; init; }

    public Tier Tier { get; set; }

    public Tier? MaybeTier { get; set; }
}

public sealed class ProfileSchemaRoundTripTests
{
    private static readonly EverySupportedType Full = new()
    {
        Text = "café & co / 100%",
        Flag = true,
        MaybeFlag = false,
        Count = -42,
        MaybeCount = int.MaxValue,
        Big = long.MinValue,
        MaybeBig = 9_007_199_254_740_993,
        Ratio = 0.1 + 0.2,
        MaybeRatio = -1.5e-300,
        Amount = 1234.50m,
        LifetimeValue = -0.0001m,
        When = new DateTimeOffset(2026, 11, 23, 18, 59, 37, TimeSpan.FromHours(2)).AddTicks(1234567),
        MaybeWhen = new DateTimeOffset(1999, 1, 2, 3, 4, 5, TimeSpan.FromMinutes(-330)),
        Tier = Tier.Gold,
        MaybeTier = Tier.Bronze,
    };

    private const string FullQuery =
        "?mbox3rdPartyId=crm-1"
        + "&profile.text=caf%C3%A9%20%26%20co%20%2F%20100%25"
        + "&profile.flag=true"
        + "&profile.maybeFlag=false"
        + "&profile.count=-42"
        + "&profile.maybeCount=2147483647"
        + "&profile.big=-9223372036854775808"
        + "&profile.maybeBig=9007199254740993"
        + "&profile.ratio=0.30000000000000004"
        + "&profile.maybeRatio=-1.5E-300"
        + "&profile.amount=1234.50"
        + "&profile.ltv=-0.0001"
        + "&profile.when=2026-11-23T18%3A59%3A37.1234567%2B02%3A00"
        + "&profile.maybeWhen=1999-01-02T03%3A04%3A05.0000000-05%3A30"
        + "&profile.tier=Gold"
        + "&profile.maybeTier=Bronze";

    [Theory]
    [InlineData("")]
    [InlineData("de-DE")]
    [InlineData("ar-SA")]
    public async Task ToUpdate_EverySupportedType_PutsExactCultureInvariantBytesOnTheWireAndReadsBackEqual(string culture)
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            var (client, handler, services) = TestClients.Create();
            using (services)
            {
                await client.UpdateAsync(Full.ToUpdate(ProfileId.FromThirdPartyId("crm-1")));
            }

            string url = Assert.Single(handler.Requests).Url;
            Assert.Equal(TestClients.UpdateUrl + FullQuery, url);

            var read = EverySupportedType.FromProfile(ProfileFromWire(url));
            Assert.Equal(Full, read);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void ToUpdate_NullProperties_AreNotSet_AndNonNullableOnesAlwaysAre()
    {
        var update = new EverySupportedType().ToUpdate(ProfileId.FromThirdPartyId("crm-1"));

        Assert.Equal(["flag", "count", "big", "ratio", "amount", "when", "tier"], update.Attributes.Keys);
        Assert.Equal("0001-01-01T00:00:00.0000000+00:00", update["when"]);
        Assert.Equal("Bronze", update["tier"]);
    }

    [Fact]
    public void AttributeNames_ListsEveryAttributeInDeclarationOrder()
    {
        Assert.Equal(
            ["text", "flag", "maybeFlag", "count", "maybeCount", "big", "maybeBig", "ratio", "maybeRatio", "amount", "ltv", "when", "maybeWhen", "tier", "maybeTier"],
            EverySupportedType.AttributeNames);
        Assert.Throws<NotSupportedException>(() => ((IList<string>)EverySupportedType.AttributeNames).Add("x"));
    }

    [Fact]
    public void FromProfile_MissingAttributes_KeepANewInstancesValues()
    {
        var read = EverySupportedType.FromProfile(Profile(("count", "7")));

        Assert.Equal(new EverySupportedType { Count = 7 }, read);
    }

    [Theory]
    [InlineData("count", "12abc")]
    [InlineData("count", "99999999999")]
    [InlineData("flag", "yes")]
    [InlineData("ratio", "1,5")]
    [InlineData("ratio", "NaN")]
    [InlineData("amount", "1.2.3")]
    [InlineData("when", "yesterday")]
    [InlineData("tier", "gold")]
    [InlineData("maybeTier", "Diamond")]
    public void FromProfile_UnparsableValue_ThrowsFormatExceptionNamingTheAttributeNeverTheValue(string name, string value)
    {
        string secretValue = value + "-personal-7f3a";
        var ex = Assert.Throws<FormatException>(() => EverySupportedType.FromProfile(Profile((name, secretValue))));

        Assert.Contains("'" + name + "'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secretValue, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(value, ex.Message.Replace("'" + name + "'", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void ToUpdate_UndefinedEnumValue_ThrowsNamingTheAttribute()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new EverySupportedType { Tier = (Tier)42 }.ToUpdate(ProfileId.FromPcId("pc")));

        Assert.Contains("'tier'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("42", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToUpdate_NonFiniteDouble_IsRefusedLikeTheTypedSet()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EverySupportedType { Ratio = double.NaN }.ToUpdate(ProfileId.FromPcId("pc")));
    }

    private static TargetProfile Profile(params (string Name, string Value)[] attributes) =>
        new(ProfileId.FromThirdPartyId("crm-1"), attributes.ToDictionary(a => a.Name, a => new ProfileAttribute(a.Value), StringComparer.Ordinal));

    /// <summary>The profile Target would store from the request: each <c>profile.</c> pair, percent-decoded (UTF-8).</summary>
    private static TargetProfile ProfileFromWire(string url)
    {
        string query = url[(url.IndexOf('?', StringComparison.Ordinal) + 1)..];
        var pairs = query.Split('&')
            .Select(p => p.Split('=', 2))
            .Where(p => p[0].StartsWith("profile.", StringComparison.Ordinal))
            .Select(p => (Uri.UnescapeDataString(p[0]["profile.".Length..]), Uri.UnescapeDataString(p[1])))
            .ToArray();
        return Profile(pairs);
    }
}
