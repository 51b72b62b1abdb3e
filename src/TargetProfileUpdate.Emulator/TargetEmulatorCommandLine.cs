using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace TargetProfileUpdate.Emulator;

/// <summary>
/// The emulator's command-line options, for the standalone <c>target-profile-emulator</c> and any tool that hosts the
/// emulator with the same options (<c>target-profile emulator …</c>). Each option can also come from an environment
/// variable <c>TARGET_EMULATOR_{KEY}</c> (key as listed by <see cref="WriteUsage"/>, case-insensitive); the command line wins.
/// </summary>
/// <example>
/// <code>
/// if (TargetEmulatorCommandLine.IsHelpRequested(args)) { TargetEmulatorCommandLine.WriteUsage(Console.Out); return 0; }
/// if (!TargetEmulatorCommandLine.TryParse(args, out var options, out var error)) { Console.Error.WriteLine(error); return 2; }
/// await using var emulator = await TargetEmulator.StartAsync(options);
/// await emulator.WaitForShutdownAsync();
/// </code>
/// </example>
public static class TargetEmulatorCommandLine
{
    /// <summary>The prefix of the environment variables read by <see cref="Parse(IReadOnlyList{string})"/>.</summary>
    public const string EnvironmentPrefix = "TARGET_EMULATOR_";

    private static readonly JsonSerializerOptions SeedJson = new(JsonSerializerDefaults.Web);

    private static readonly Option[] Options =
    [
        new("--urls", "Url", "address to listen on (the first of a ;-list)", "http://127.0.0.1:0", (o, v) => o.Url = v.Split(';')[0]),
        new("--client-code", "ClientCode", "client code answered for", "demo", (o, v) => o.ClientCode = v),
        new("--token", "AuthorizationToken", "profile API token required by the profile endpoints (the first one with IMS)", "none", (o, v) => o.AuthorizationToken = v),
        new("--max-get-bytes", "MaxGetRequestBytes", "longest update GET URL, bytes (414 beyond)", "8192", (o, v) => o.MaxGetRequestBytes = Int(v)),
        new("--max-post-bytes", "MaxPostRequestBytes", "longest update POST body, bytes (413 beyond)", "61440", (o, v) => o.MaxPostRequestBytes = Int(v)),
        new("--quota", "QuotaLimit", "updates per quota window (429 beyond)", "1000000", (o, v) => o.QuotaLimit = Int(v)),
        new("--quota-window", "QuotaWindow", "rolling quota window", "24h", (o, v) => o.QuotaWindow = Duration(v)),
        new("--propagation-delay", "PropagationDelay", "time before an update is visible to fetch", "0s", (o, v) => o.PropagationDelay = Duration(v)),
        new("--seed-file", "SeedFile", "JSON array of profiles [{pcId, thirdPartyId, marketingCloudVisitorId, attributes}]", "none", (o, v) => Seed(o, v)),
        new("--fault-probability", "FaultProbability", "probability (0-1) of a random fault on update/fetch", "0", (o, v) => (o.RandomFaults ??= new RandomFaultOptions()).Probability = Double(v)),
        new("--fault-seed", "FaultSeed", "seed of the random faults", "42", (o, v) => (o.RandomFaults ??= new RandomFaultOptions()).Seed = Int(v)),
        new("--legacy-fetch-shape", "LegacyFetchShape", "fetch answers with mboxPC/thirdPartyId and offset-less timestamps", "false", (o, v) => o.LegacyFetchShape = Bool(v), IsFlag: true),
        new("--ims-client-id", "ImsClientId", "turns on the IMS flow: client id accepted by /ims/token/v3 (and X-Api-Key)", "none", (o, v) => o.ImsClientId = v),
        new("--ims-client-secret", "ImsClientSecret", "client secret accepted with it", "none", (o, v) => o.ImsClientSecret = v, IsSecret: true),
        new("--tenant", "Tenant", "tenant of /{tenant}/target/authentication/token", "the client code", (o, v) => o.Tenant = v),
        new("--token-lifetime", "TokenLifetime", "lifetime of IMS and profile tokens alike", "86399s / 24h", (o, v) => o.ImsTokenLifetime = o.ProfileTokenLifetime = Duration(v)),
        new("--ims-token-lifetime", "ImsTokenLifetime", "lifetime of IMS tokens", "86399s", (o, v) => o.ImsTokenLifetime = Duration(v)),
        new("--profile-token-lifetime", "ProfileTokenLifetime", "lifetime of profile tokens", "24h", (o, v) => o.ProfileTokenLifetime = Duration(v)),
        new("--no-profile-token", "NoProfileToken", "no profile token yet: the Admin API GET answers 404 until a POST", "false", (o, v) => o.ProfileTokenExists = !Bool(v), IsFlag: true),
        new("--bulk-max-rows", "BulkMaxRows", "rows per batchUpdate (success=false beyond)", "500000", (o, v) => o.BulkMaxRows = Int(v)),
        new("--bulk-max-bytes", "BulkMaxBytes", "CSV bytes per batchUpdate (success=false beyond)", "50000000", (o, v) => o.BulkMaxBytes = Long(v)),
        new("--bulk-calls-per-minute", "BulkCallsPerMinute", "bulk, batch status and Admin API token calls per minute (503 beyond)", "50", (o, v) => o.BulkCallsPerMinute = Int(v)),
        new("--batch-processing-delay", "BatchProcessingDelay", "time a batch stays incomplete", "0s", (o, v) => o.BatchProcessingDelay = Duration(v)),
        new("--max-batches", "MaxRetainedBatches", "batch statuses kept", "10", (o, v) => o.MaxRetainedBatches = Int(v)),
        new("--legacy-batch-status", "LegacyBatchStatus", "batch status lists each profile (success|error|pending)", "false", (o, v) => o.LegacyBatchStatus = Bool(v), IsFlag: true),
    ];

    /// <summary>Whether the arguments ask for help (<c>-h</c>, <c>--help</c> or <c>-?</c>).</summary>
    /// <param name="args">The arguments.</param>
    /// <returns><see langword="true"/> when help is asked for.</returns>
    public static bool IsHelpRequested(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Any(a => a is "-h" or "--help" or "-?");
    }

    /// <summary>Writes the list of options, their environment variables and defaults.</summary>
    /// <param name="writer">Where to write, for example <see cref="Console.Out"/>.</param>
    public static void WriteUsage(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine("Options (each also read from the environment variable " + EnvironmentPrefix + "{KEY}, for example " + EnvironmentPrefix + "CLIENTCODE):");
        foreach (var option in Options)
        {
            string name = option.IsFlag ? option.Switch : option.Switch + " <value>";
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-36} {option.Help} [key {option.Key}; default {option.Default}]"));
        }

        writer.WriteLine("Durations: 500ms, 30s, 5m, 2h, 1d or hh:mm:ss. Flags take an optional true|false.");
    }

    /// <summary>Builds options from command-line arguments over the process's <c>TARGET_EMULATOR_*</c> environment variables.</summary>
    /// <param name="args">The arguments: <c>--name value</c> or <c>--name=value</c>.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException">An unknown option or an invalid value (the message names the option).</exception>
    public static TargetEmulatorOptions Parse(IReadOnlyList<string> args)
    {
        var environment = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                environment[key] = value;
            }
        }

        return Parse(args, environment);
    }

    /// <summary>Builds options from command-line arguments over the given environment variables.</summary>
    /// <param name="args">The arguments: <c>--name value</c> or <c>--name=value</c>.</param>
    /// <param name="environment">Environment variables; those named <c>TARGET_EMULATOR_{KEY}</c> are read.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException">An unknown option or an invalid value (the message names the option).</exception>
    public static TargetEmulatorOptions Parse(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var values = new List<(Option Option, string Value, string Source)>();
        foreach (var (name, value) in environment)
        {
            if (name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase)
                && Options.FirstOrDefault(o => string.Equals(o.Key, name[EnvironmentPrefix.Length..], StringComparison.OrdinalIgnoreCase)) is { } option
                && value.Length > 0)
            {
                values.Add((option, value, name));
            }
        }

        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            string name = eq > 0 && arg.StartsWith("--", StringComparison.Ordinal) ? arg[..eq] : arg;
            var option = Options.FirstOrDefault(o => string.Equals(o.Switch, name, StringComparison.Ordinal))
                ?? throw new ArgumentException($"Unknown option '{name}'. Run with --help for the list.");
            string value;
            if (eq > 0 && arg.StartsWith("--", StringComparison.Ordinal))
            {
                value = arg[(eq + 1)..];
            }
            else if (option.IsFlag)
            {
                value = i + 1 < args.Count && args[i + 1] is "true" or "false" ? args[++i] : "true";
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                throw new ArgumentException($"Option {option.Switch} needs a value.");
            }

            values.Add((option, value, option.Switch));
        }

        var options = new TargetEmulatorOptions();
        foreach (var (option, value, source) in values)
        {
            try
            {
                option.Apply(options, value);
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or IOException or JsonException or UnauthorizedAccessException)
            {
                string shown = option.IsSecret ? "(hidden)" : "'" + value + "'";
                throw new ArgumentException($"{source}: {shown} is not valid. {ex.Message}", ex);
            }
        }

        return options;
    }

    /// <summary>Builds options like <see cref="Parse(IReadOnlyList{string})"/>, returning the error message instead of throwing.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="options">The options, when parsed.</param>
    /// <param name="error">What is wrong, naming the option, otherwise.</param>
    /// <returns><see langword="true"/> when parsed.</returns>
    public static bool TryParse(IReadOnlyList<string> args, [NotNullWhen(true)] out TargetEmulatorOptions? options, [NotNullWhen(false)] out string? error)
    {
        try
        {
            options = Parse(args);
            error = null;
            return true;
        }
        catch (ArgumentException ex)
        {
            options = null;
            error = ex.Message;
            return false;
        }
    }

    /// <summary>Parses a duration: <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>2h</c>, <c>1d</c>, or <c>hh:mm:ss</c>. A bare number is refused (seconds or days?).</summary>
    /// <param name="value">The text.</param>
    /// <returns>The duration.</returns>
    /// <exception cref="FormatException">Not a duration.</exception>
    public static TimeSpan ParseDuration(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        value = value.Trim();
        (string Suffix, Func<double, TimeSpan> Make)[] units =
        [
            ("ms", TimeSpan.FromMilliseconds), ("s", TimeSpan.FromSeconds), ("m", TimeSpan.FromMinutes), ("h", TimeSpan.FromHours), ("d", TimeSpan.FromDays),
        ];
        foreach (var (suffix, make) in units)
        {
            if (value.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(value.AsSpan(0, value.Length - suffix.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
            {
                return make(number);
            }
        }

        if (value.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span))
        {
            return span;
        }

        throw new FormatException("Use a duration such as 500ms, 30s, 5m, 2h, 1d or 00:00:30.");
    }

    private static int Int(string value) => int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static long Long(string value) => long.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static double Double(string value) => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static bool Bool(string value) => bool.Parse(value);

    private static TimeSpan Duration(string value) => ParseDuration(value);

    private static void Seed(TargetEmulatorOptions options, string path)
    {
        var seeds = JsonSerializer.Deserialize<List<ProfileSeed>>(File.ReadAllText(path), SeedJson) ?? [];
        seeds.ForEach(options.Profiles.Add);
    }

    private sealed record Option(string Switch, string Key, string Help, string Default, Action<TargetEmulatorOptions, string> Apply, bool IsFlag = false, bool IsSecret = false);
}
