namespace TargetProfileUpdate.Tests.TestSupport;

/// <summary>A profile id, an attribute value and a token that must never appear in logs, messages, traces or metrics.</summary>
public static class PersonalData
{
    public const string Id = "jane.doe-7731@example.com";
    public const string Value = "Platinum Card Holder";
    public const string Token = "tok-SECRET-0123456789";

    /// <summary>The secrets as given and as encoded on the wire, plus the id parameter (a URL in a log would carry it).</summary>
    public static IReadOnlyList<string> Secrets { get; } = [Id, Uri.EscapeDataString(Id), Value, Uri.EscapeDataString(Value), Token, "mbox3rdPartyId="];

    public static ProfileUpdate Update() => ProfileUpdate.ForThirdPartyId(Id).Set("segment", Value);

    public static void AssertAbsentFrom(IEnumerable<string> texts)
    {
        foreach (string text in texts)
        {
            foreach (string secret in Secrets)
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }
}
