using System.Text;

namespace TargetProfileUpdate.Benchmarks;

/// <summary>The workload of every benchmark: an id and realistic, partly non-ASCII attribute values.</summary>
public static class BenchmarkData
{
    public const string ClientCode = "bench";

    private static readonly (string Name, string Value)[] Ten =
    [
        ("loyaltyTier", "gold"),
        ("lifetimeValue", "1234.50"),
        ("lastStore", "Zürich Hauptbahnhof"),
        ("lastContactTopic", "Hypothekenverlängerung und Zinsbindung"),
        ("preferredLanguage", "de-CH"),
        ("segment", "Premium Kunden — Region Süd"),
        ("visits", "42"),
        ("lastVisit", "2026-11-23T18:59:37.0000000+01:00"),
        ("newsletter", "true"),
        ("favouriteCategory", "Küche & Haushalt"),
    ];

    public static string Id(int i) => "crm-" + i.ToString("D10", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Attributes: the ten realistic ones, repeated with a numbered name beyond ten.</summary>
    public static (string Name, string Value)[] Attributes(int count) =>
        Enumerable.Range(0, count).Select(i => i < Ten.Length ? Ten[i] : (Ten[i % Ten.Length].Name + (i / Ten.Length).ToString(System.Globalization.CultureInfo.InvariantCulture), Ten[i % Ten.Length].Value)).ToArray();

    public static ProfileUpdate Update(string id, (string Name, string Value)[] attributes)
    {
        var update = ProfileUpdate.ForThirdPartyId(id);
        foreach (var (name, value) in attributes)
        {
            update.Set(name, value);
        }

        return update;
    }

    /// <summary>The hand-written way: StringBuilder + Uri.EscapeDataString.</summary>
    public static string HandWrittenQuery(string id, (string Name, string Value)[] attributes)
    {
        var builder = new StringBuilder();
        builder.Append("mbox3rdPartyId=").Append(Uri.EscapeDataString(id));
        foreach (var (name, value) in attributes)
        {
            builder.Append("&profile.").Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return builder.ToString();
    }
}
