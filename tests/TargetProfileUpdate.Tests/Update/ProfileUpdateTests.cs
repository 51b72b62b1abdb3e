namespace TargetProfileUpdate.Tests.Update;

public sealed class ProfileUpdateTests
{
    [Fact]
    public void Set_SameNameTwice_ThrowsNamingTheAttribute()
    {
        var update = ProfileUpdate.ForPcId("pc").Set("age", "1");

        var ex = Assert.Throws<ArgumentException>(() => update.Set("age", "2"));

        Assert.Equal("name", ex.ParamName);
        Assert.Contains("'age'", ex.Message, StringComparison.Ordinal);
        Assert.Equal("1", update.Attributes["age"]);
    }

    [Fact]
    public void Set_PrefixedAndBareSameName_IsADuplicate()
    {
        var update = ProfileUpdate.ForPcId("pc").Set("profile.age", "1");

        Assert.Throws<ArgumentException>(() => update.Set("age", "2"));
    }

    [Fact]
    public void Indexer_SetTwice_ThrowsLikeSet()
    {
        var update = new ProfileUpdate(ProfileId.FromPcId("pc")) { ["age"] = "1" };

        Assert.Throws<ArgumentException>(() => update["age"] = "2");
    }

    [Fact]
    public void Set_NamesDifferingOnlyInCase_AreTwoAttributes()
    {
        var update = ProfileUpdate.ForPcId("pc").Set("Age", "1").Set("age", "2");

        Assert.Equal(2, update.Attributes.Count);
    }

    [Fact]
    public void Attributes_ManyNames_EnumerateInInsertionOrder()
    {
        var update = ProfileUpdate.ForPcId("pc");
        var names = Enumerable.Range(0, 50).Select(i => "n" + ((i * 37) % 50)).ToArray();
        foreach (var name in names)
        {
            update.Set(name, name);
        }

        Assert.Equal(names, update.Attributes.Keys);
        Assert.Throws<ArgumentException>(() => update.Set("n7", "again"));
    }

    [Fact]
    public void CollectionInitializer_SetsAttributes()
    {
        var update = new ProfileUpdate(ProfileId.FromThirdPartyId("crm-1")) { ["tier"] = "gold", ["visits"] = "3" };

        Assert.Equal(["tier", "visits"], update.Attributes.Keys);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("profile.")]
    public void Set_InvalidName_ThrowsArgumentExceptionForName(string? name)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => ProfileUpdate.ForPcId("pc").Set(name!, "v"));

        Assert.Equal("name", ex.ParamName);
    }

    [Fact]
    public void Set_NullValue_ThrowsArgumentNullExceptionForValue()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => ProfileUpdate.ForPcId("pc").Set("a", (string)null!));

        Assert.Equal("value", ex.ParamName);
    }

    // Attribute arguments cannot hold lone surrogates (the compiler stores them as U+FFFD), so cases are named.
    internal static string Invalid(string name) => name switch
    {
        "lone-high" => "\uD800",
        "lone-low-after-text" => "ok\uDC00",
        "reversed-pair" => "\uDE00\uD83D",
        "high-at-end" => "bad\uD800",
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [InlineData("lone-high")]
    [InlineData("lone-low-after-text")]
    [InlineData("reversed-pair")]
    public void Set_InvalidUtf16Value_ThrowsInsteadOfReplacing(string @case)
    {
        string value = Invalid(@case);
        var ex = Assert.Throws<ArgumentException>(() => ProfileUpdate.ForPcId("pc").Set("a", value));

        Assert.Equal("value", ex.ParamName);
        Assert.Contains("UTF-16", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Set_InvalidUtf16Name_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => ProfileUpdate.ForPcId("pc").Set("a\uD800", "v"));

        Assert.Equal("name", ex.ParamName);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Set_NonFiniteDouble_Throws(double value)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ProfileUpdate.ForPcId("pc").Set("a", value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \t")]
    [InlineData("high-at-end")]
    public void ProfileId_InvalidValue_ThrowsNamingTheParameter(string? value)
    {
        value = value == "high-at-end" ? Invalid(value) : value;
        var pc = Assert.ThrowsAny<ArgumentException>(() => ProfileId.FromPcId(value!));
        var third = Assert.ThrowsAny<ArgumentException>(() => ProfileUpdate.ForThirdPartyId(value!));

        Assert.Equal("pcId", pc.ParamName);
        Assert.Equal("thirdPartyId", third.ParamName);
    }

    [Fact]
    public void ProfileId_ValueEquality_IsByKindAndOrdinalValue()
    {
        Assert.Equal(ProfileId.FromPcId("a"), ProfileId.FromPcId("a"));
        Assert.True(ProfileId.FromPcId("a") == ProfileId.FromPcId("a"));
        Assert.NotEqual(ProfileId.FromPcId("a"), ProfileId.FromThirdPartyId("a"));
        Assert.NotEqual(ProfileId.FromPcId("a"), ProfileId.FromPcId("A"));
        Assert.Equal(ProfileId.FromPcId("a").GetHashCode(), ProfileId.FromPcId("a").GetHashCode());
        Assert.Equal(ProfileIdKind.ThirdPartyId, ProfileId.FromThirdPartyId("x").Kind);
    }

    [Fact]
    public void ProfileId_ToString_DoesNotRevealTheValue()
    {
        Assert.Equal("mbox3rdPartyId:***", ProfileId.FromThirdPartyId("jane.doe@example.com").ToString());
    }
}
