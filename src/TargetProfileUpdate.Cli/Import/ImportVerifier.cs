using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using CsvHelper;

namespace TargetProfileUpdate.Cli.Import;

/// <summary>What <c>--verify</c> found in its sample.</summary>
/// <param name="Sampled">Accepted rows read back.</param>
/// <param name="Landed">Rows whose every value is on the profile.</param>
/// <param name="NotLanded">Rows with no profile, or a value missing or different.</param>
/// <param name="Unknown">Rows that could not be read back (the fetch failed).</param>
internal sealed record VerifyOutcome(int Sampled, int Landed, int NotLanded, int Unknown);

/// <summary>
/// <c>--verify</c>: reads back a random sample of the accepted rows through the Profile Fetch API and compares every
/// value the row set with the profile's. A row whose profile is missing, or whose value is missing or different, did not
/// land: it moves from accepted to "not landed" in the ledger (and so into the failures file).
/// </summary>
/// <remarks>
/// The comparison is the tool's own (value by value, as strings), not an SDK verification call. A different value may
/// also mean another writer changed it since: the reason says so.
/// </remarks>
internal static class ImportVerifier
{
    public static async Task<VerifyOutcome> VerifyAsync(string path, CsvInspection inspection, ImportLedger ledger, IProfileFetchClient fetch, int sample, int concurrency, CancellationToken cancellationToken)
    {
        var rows = Sample(ledger.AcceptedRows(), sample);
        if (rows.Count == 0)
        {
            return new VerifyOutcome(0, 0, 0, 0);
        }

        var updates = Read(path, inspection, rows);
        int landed = 0, notLanded = 0, unknown = 0;
        await Parallel.ForEachAsync(updates, new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(concurrency, 1, 16), CancellationToken = cancellationToken }, async (item, token) =>
        {
            TargetProfile? profile;
            try
            {
                profile = await fetch.GetProfileAsync(item.Update.Id, token).ConfigureAwait(false);
            }
            catch (ProfileApiException)
            {
                Interlocked.Increment(ref unknown);
                return;
            }

            string? missing = Compare(item.Update, profile);
            if (missing is null)
            {
                Interlocked.Increment(ref landed);
            }
            else
            {
                Interlocked.Increment(ref notLanded);
                ledger.Downgrade(item.Row, RowOutcome.NotLanded, "not landed (--verify): Adobe Target accepted the row, but " + missing + " Send it again, or check it later with fetch.");
            }
        }).ConfigureAwait(false);
        return new VerifyOutcome(rows.Count, landed, notLanded, unknown);
    }

    /// <summary>What is missing from the profile, or <see langword="null"/> when every value landed.</summary>
    internal static string? Compare(ProfileUpdate update, TargetProfile? profile)
    {
        if (profile is null)
        {
            return "the profile does not exist.";
        }

        int missing = 0, different = 0;
        foreach (var (name, value) in update.Attributes)
        {
            if (!profile.Attributes.TryGetValue(name, out var attribute))
            {
                missing++;
            }
            else if (!string.Equals(attribute.Value, value, StringComparison.Ordinal))
            {
                different++;
            }
        }

        return missing + different == 0
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{missing} of its attributes are missing from the profile and {different} hold another value (not applied yet, or changed since by another writer).");
    }

    /// <summary>A uniform random sample of up to <paramref name="size"/> rows (reservoir sampling), in file order.</summary>
    private static List<long> Sample(IEnumerable<long> rows, int size)
    {
        var reservoir = new List<long>(Math.Min(size, 1024));
        long seen = 0;
        foreach (long row in rows)
        {
            seen++;
            if (reservoir.Count < size)
            {
                reservoir.Add(row);
            }
            else
            {
                long slot = Random.Shared.NextInt64(seen);
                if (slot < size)
                {
                    reservoir[(int)slot] = row;
                }
            }
        }

        reservoir.Sort();
        return reservoir;
    }

    private static List<(long Row, ProfileUpdate Update)> Read(string path, CsvInspection inspection, List<long> rows)
    {
        var result = new List<(long Row, ProfileUpdate Update)>(rows.Count);
        using var reader = CsvLayout.OpenText(path);
        using var parser = new CsvParser(reader, CsvLayout.Configuration(null));
        if (!parser.Read())
        {
            return result;
        }

        long row = 0;
        int next = 0;
        while (next < rows.Count && parser.Read())
        {
            if (row == rows[next])
            {
                result.Add((row, inspection.Layout.ToUpdate(parser.Record!)));
                next++;
            }

            row++;
        }

        return result;
    }
}
