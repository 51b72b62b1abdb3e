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
/// <param name="NotLanded">Rows with no profile, or a value missing (or different and not newer than the import).</param>
/// <param name="Unknown">Rows that could not be read back (the fetch failed).</param>
/// <param name="Superseded">Rows whose values were applied and then changed by another writer after the import started.</param>
internal sealed record VerifyOutcome(int Sampled, int Landed, int NotLanded, int Unknown, int Superseded);

/// <summary>
/// <c>--verify</c>: reads back a random sample of the accepted rows with the SDK's <see cref="IProfileFetchClient.VerifyAsync(ProfileUpdate, DateTimeOffset?, CancellationToken)"/>
/// (Profile Fetch API), which compares every value the row set with the profile's. A row whose profile is missing, or
/// whose value is missing, did not land: it moves from accepted to "not landed" in the ledger (and so into the failures
/// file). A value another writer changed after the import started is "superseded": it landed, and is counted apart.
/// </summary>
internal static class ImportVerifier
{
    public static async Task<VerifyOutcome> VerifyAsync(string path, CsvInspection inspection, ImportLedger ledger, IProfileFetchClient fetch, DateTimeOffset sentAt, int sample, int concurrency, CancellationToken cancellationToken)
    {
        var rows = Sample(ledger.AcceptedRows(), sample);
        if (rows.Count == 0)
        {
            return new VerifyOutcome(0, 0, 0, 0, 0);
        }

        var updates = Read(path, inspection, rows);
        int landed = 0, notLanded = 0, unknown = 0, superseded = 0;
        await Parallel.ForEachAsync(updates, new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(concurrency, 1, 16), CancellationToken = cancellationToken }, async (item, token) =>
        {
            ProfileVerificationResult verification;
            try
            {
                verification = await fetch.VerifyAsync(item.Update, sentAt, token).ConfigureAwait(false);
            }
            catch (ProfileApiException)
            {
                Interlocked.Increment(ref unknown);
                return;
            }

            switch (verification.Outcome)
            {
                case VerificationOutcome.Landed:
                    Interlocked.Increment(ref landed);
                    break;
                case VerificationOutcome.Superseded:
                    Interlocked.Increment(ref superseded);
                    break;
                default:
                    Interlocked.Increment(ref notLanded);
                    ledger.Downgrade(item.Row, RowOutcome.NotLanded, "not landed (--verify): Adobe Target accepted the row, but " + Describe(verification) + " Send it again, or check it later with fetch.");
                    break;
            }
        }).ConfigureAwait(false);
        return new VerifyOutcome(rows.Count, landed, notLanded, unknown, superseded);
    }

    /// <summary>What did not land, without a value or an id.</summary>
    private static string Describe(ProfileVerificationResult verification) => verification.ProfileMissing
        ? "the profile does not exist."
        : string.Create(CultureInfo.InvariantCulture, $"{verification.Missing} of its {verification.Attributes.Count} attributes are not on the profile (not applied yet, or dropped).");

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
