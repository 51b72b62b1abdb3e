using System.Collections.Generic;
using Microsoft.Extensions.Logging;
using TargetProfileUpdate.Diagnostics;

namespace TargetProfileUpdate.Suppression;

/// <summary>Counts and logs one refusal for a suppressed profile (source from a fixed set: update, bulk_row, delivery); never the id.</summary>
internal static class SuppressionGuard
{
    public const string Update = "update";
    public const string BulkRow = "bulk_row";

    public static void Record(ProfileApiInstruments telemetry, ILogger logger, string source)
    {
        telemetry.Suppressed.Add(1, new KeyValuePair<string, object?>("source", source));
        Log.Suppressed(logger, source);
    }
}
