using System;
using System.Collections.Generic;
using System.Globalization;

namespace TargetProfileUpdate.Privacy;

/// <summary>
/// The one set of input rules of a deletion or export request, shared by <c>ProfilePrivacyClient</c> and the fake in
/// <c>TargetProfileUpdate.Testing</c>, so that the fake refuses exactly what the real client refuses, with the same
/// messages, before anything is sent.
/// </summary>
internal static class PrivacyRequestRules
{
    /// <summary>The longest regulation name accepted.</summary>
    public const int MaxRegulationLength = 64;

    /// <summary>Checks the regulation and the ids, and returns the distinct ids in their first order.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="ids"/>, <paramref name="regulation"/> or an id is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The regulation is not 1 to 64 visible ASCII characters, or there is no id.</exception>
    public static List<ProfileId> Validate(IEnumerable<ProfileId> ids, string regulation)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(regulation);
        if (regulation.Length is 0 or > MaxRegulationLength || !IsPlainToken(regulation))
        {
            throw new ArgumentException(
                "The regulation must be 1 to 64 visible ASCII characters, as Privacy Service names it (for example 'gdpr', 'ccpa', 'ucpa_ut_usa'; see PrivacyRegulation). Nothing was sent.",
                nameof(regulation));
        }

        var distinct = new List<ProfileId>();
        var seen = new HashSet<ProfileId>();
        int index = 0;
        foreach (var id in ids)
        {
            if (id is null)
            {
                throw new ArgumentNullException(nameof(ids), string.Create(CultureInfo.InvariantCulture, $"The id at position {index} is null. Nothing was sent."));
            }

            if (seen.Add(id))
            {
                distinct.Add(id);
            }

            index++;
        }

        if (distinct.Count == 0)
        {
            throw new ArgumentException("At least one id is required. Nothing was sent.", nameof(ids));
        }

        return distinct;
    }

    private static bool IsPlainToken(string value)
    {
        foreach (char c in value)
        {
            if (c is < '!' or > '~' or '"' or '\\')
            {
                return false;
            }
        }

        return true;
    }
}
