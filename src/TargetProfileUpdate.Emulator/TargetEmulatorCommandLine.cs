using System;
using System.Collections;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace TargetProfileUpdate.Emulator;

/// <summary>
/// The emulator's command-line options, parsed with System.CommandLine, for any tool that hosts the emulator standalone
/// (<c>target-profile emulator …</c>). Each option can also come from an environment variable <c>TARGET_EMULATOR_{KEY}</c>
/// (key as listed by <see cref="WriteUsage"/>, case-insensitive); the command line wins.
/// </summary>
/// <example>
/// <code>
/// return await TargetEmulatorCommandLine.RunAsync(args, "target-profile emulator", Console.Out, Console.Error);
/// </code>
/// </example>
public static class TargetEmulatorCommandLine
{
    /// <summary>The prefix of the environment variables read by <see cref="Parse(IReadOnlyList{string})"/>.</summary>
    public const string EnvironmentPrefix = "TARGET_EMULATOR_";

    /// <summary>The exit code of <see cref="RunAsync"/> for an invalid option or an address already in use.</summary>
    public const int UsageExitCode = 2;

    private static readonly JsonSerializerOptions SeedJson = new(JsonSerializerDefaults.Web);

    private static readonly Definition[] Definitions =
    [
        new("--realistic", "Realistic", "Adobe's documented orders of magnitude for every delay: propagation 1h, batch processing 10m, profile creation 1h, privacy jobs 1d (explicit delay options win)", "off", (o, v) => { if (Bool(v)) { o.UseRealisticDelays(); } }, IsFlag: true),
        new("--urls", "Url", "address to listen on (the first of a ;-list)", "http://127.0.0.1:0", (o, v) => o.Url = v.Split(';')[0]),
        new("--client-code", "ClientCode", "client code answered for (the literal 'client' of Adobe's docs is an alias, inferred)", "demo", (o, v) => o.ClientCode = v),
        new("--token", "AuthorizationToken", "profile API token required by the profile endpoints (the first one with IMS)", "none", (o, v) => o.AuthorizationToken = v, IsSecret: true),
        new("--require-authentication", "RequireAuthentication", "whether the profile endpoints require the profile token (true|false), independently of IMS", "on with --token or --ims-client-id", (o, v) => o.RequireAuthentication = Bool(v)),
        new("--max-get-bytes", "MaxGetRequestBytes", "longest update URL, bytes, GET and POST query alike (414 beyond; byte accounting inferred)", "8192", (o, v) => o.MaxGetRequestBytes = Int(v)),
        new("--max-post-bytes", "MaxPostRequestBytes", "longest update POST body, bytes (413 beyond; byte accounting inferred)", "61440", (o, v) => o.MaxPostRequestBytes = Int(v)),
        new("--quota", "QuotaLimit", "updates per quota window; beyond it 429 with Retry-After (inferred: Adobe documents no answer)", "1000000", (o, v) => o.QuotaLimit = Int(v)),
        new("--quota-window", "QuotaWindow", "rolling quota window", "24h", (o, v) => o.QuotaWindow = Duration(v)),
        new("--propagation-delay", "PropagationDelay", "time before an accepted update is visible to fetch (Adobe: usually within 1h, up to 24h)", "2s", (o, v) => o.PropagationDelay = Duration(v)),
        new("--profile-creation-delay", "ProfileCreationDelay", "time before a profile created by a visit is available to the profile APIs (Adobe: up to about 1h)", "2s", (o, v) => o.ProfileCreationDelay = Duration(v)),
        new("--profile-lifetime", "ProfileLifetime", "a profile expires after this long without a visit (Adobe: 14 days by default)", "14d", (o, v) => o.ProfileLifetime = Duration(v)),
        new("--max-profile-bytes", "MaxProfileBytes", "external data per profile, bytes (Adobe: 64 KB; what happens above it is inferred: the update is dropped); 0 for no cap", "65536", (o, v) => o.MaxProfileBytes = Int(v)),
        new("--visitor-id-object", "FetchVisitorIdAsObject", "fetch gives visitorId as {tntId, thirdPartyId, marketingCloudVisitorId} (inferred) instead of the documented string", "off", (o, v) => o.FetchVisitorIdAsObject = Bool(v), IsFlag: true),
        new("--seed-file", "SeedFile", "JSON array of profiles [{pcId, thirdPartyId, marketingCloudVisitorId, attributes}]", "none", (o, v) => Seed(o, v)),
        new("--fault-probability", "FaultProbability", "probability (0-1) of a random fault on update/fetch", "0", (o, v) => (o.RandomFaults ??= new RandomFaultOptions()).Probability = Double(v)),
        new("--fault-seed", "FaultSeed", "seed of the random faults", "42", (o, v) => (o.RandomFaults ??= new RandomFaultOptions()).Seed = Int(v)),
        new("--legacy-fetch-shape", "LegacyFetchShape", "fetch answers with mboxPC/thirdPartyId and offset-less timestamps", "off", (o, v) => o.LegacyFetchShape = Bool(v), IsFlag: true),
        new("--ims-client-id", "ImsClientId", "turns on the IMS flow: client id accepted by /ims/token/v3 (and X-Api-Key)", "none", (o, v) => o.ImsClientId = v),
        new("--ims-client-secret", "ImsClientSecret", "client secret accepted with it", "none", (o, v) => o.ImsClientSecret = v, IsSecret: true),
        new("--ims-org-id", "ImsOrgId", "IMS organization the Privacy Service requires in x-gw-ims-org-id", "any", (o, v) => o.ImsOrgId = v),
        new("--privacy-processing-delay", "PrivacyProcessingDelay", "time a Privacy Service job stays processing (Adobe: products answer within 30 days)", "2s", (o, v) => o.PrivacyProcessingDelay = Duration(v)),
        new("--tenant", "Tenant", "tenant of the Admin API paths /{tenant}/target/…", "the client code", (o, v) => o.Tenant = v),
        new("--token-lifetime", "TokenLifetime", "lifetime of IMS tokens, profile tokens and the --token token alike", "86399s / 24h / never", (o, v) => o.ImsTokenLifetime = o.ProfileTokenLifetime = (TimeSpan)(o.AuthorizationTokenLifetime = Duration(v))),
        new("--ims-token-lifetime", "ImsTokenLifetime", "lifetime of IMS tokens (expires_in, seconds: Adobe answers 86399)", "86399s", (o, v) => o.ImsTokenLifetime = Duration(v)),
        new("--profile-token-lifetime", "ProfileTokenLifetime", "lifetime of profile tokens handed out by the Admin API (expiresIn in seconds, inferred)", "24h", (o, v) => o.ProfileTokenLifetime = Duration(v)),
        new("--no-profile-token", "NoProfileToken", "no profile token yet: the Admin API GET answers 404 until a POST (inferred)", "off", (o, v) => o.ProfileTokenExists = !Bool(v), IsFlag: true),
        new("--bulk-max-rows", "BulkMaxRows", "rows per batchUpdate (success=false beyond)", "500000", (o, v) => o.BulkMaxRows = Int(v)),
        new("--bulk-max-bytes", "BulkMaxBytes", "CSV bytes per batchUpdate, counted after batch= (success=false beyond; byte accounting inferred)", "50000000", (o, v) => o.BulkMaxBytes = Long(v)),
        new("--bulk-calls-per-minute", "BulkCallsPerMinute", "bulk, batch status and Admin API calls per minute (503 beyond; its Retry-After is inferred)", "50", (o, v) => o.BulkCallsPerMinute = Int(v)),
        new("--batch-processing-delay", "BatchProcessingDelay", "time a batch stays incomplete (Adobe: minutes)", "2s", (o, v) => o.BatchProcessingDelay = Duration(v)),
        new("--max-batches", "MaxRetainedBatches", "batch statuses kept", "10", (o, v) => o.MaxRetainedBatches = Int(v)),
        new("--legacy-batch-status", "LegacyBatchStatus", "batch status lists each profile (success|error|pending)", "off", (o, v) => o.LegacyBatchStatus = Bool(v), IsFlag: true),
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
        foreach (var option in Definitions)
        {
            string name = option.IsFlag ? option.Switch : option.Switch + " <value>";
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-36} {option.Help} [key {option.Key}; default {option.Default}]"));
        }

        writer.WriteLine("Durations: 500ms, 30s, 5m, 2h, 1d or hh:mm:ss. Flags take an optional true|false.");
        writer.WriteLine("Delays default to a few seconds, so code that reads its own writes at once fails here as it would against Adobe; set 0s only where a test needs it.");
        writer.WriteLine("'inferred' marks behaviour Adobe does not document: the emulator's choice (see docs/emulator.md).");
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
        var command = new RootCommand();
        var options = new Dictionary<Definition, Option>();
        foreach (var definition in Definitions)
        {
            Option option = definition.IsFlag
                ? new Option<bool>(definition.Switch) { Description = definition.Help, Arity = ArgumentArity.ZeroOrOne }
                : new Option<string>(definition.Switch) { Description = definition.Help, HelpName = "value" };
            options[definition] = option;
            command.Options.Add(option);
        }

        var result = command.Parse(args.ToArray());
        if (Definitions.FirstOrDefault(d => !d.IsFlag && result.GetResult(options[d]) is { Tokens.Count: 0 }) is { } missing)
        {
            throw new ArgumentException($"Option {missing.Switch} needs a value.");
        }

        if (result.Errors.Count > 0)
        {
            var error = result.Errors[0];
            string message = result.UnmatchedTokens.FirstOrDefault(t => t.StartsWith('-')) is { } unknown
                ? $"Unknown option '{unknown.Split('=')[0]}'. Run with --help for the list."
                : error.Message;
            throw new ArgumentException(message);
        }

        var emulatorOptions = new TargetEmulatorOptions();
        foreach (var definition in Definitions)
        {
            string? value;
            string source;
            var option = options[definition];
            if (result.GetResult(option) is { } given)
            {
                source = definition.Switch;
                value = definition.IsFlag
                    ? result.GetValue((Option<bool>)option).ToString(CultureInfo.InvariantCulture).ToLowerInvariant()
                    : result.GetValue((Option<string>)option);
                if (value is null || (given.Tokens.Count == 0 && !definition.IsFlag))
                {
                    throw new ArgumentException($"Option {definition.Switch} needs a value.");
                }
            }
            else if (environment.FirstOrDefault(e => string.Equals(e.Key, EnvironmentPrefix + definition.Key, StringComparison.OrdinalIgnoreCase)) is { Value.Length: > 0 } variable)
            {
                (source, value) = (variable.Key, variable.Value);
            }
            else
            {
                continue;
            }

            try
            {
                definition.Apply(emulatorOptions, value);
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or IOException or JsonException or UnauthorizedAccessException)
            {
                string shown = definition.IsSecret ? "(hidden)" : "'" + value + "'";
                throw new ArgumentException($"{source}: {shown} is not valid. {ex.Message}", ex);
            }
        }

        return emulatorOptions;
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

    /// <summary>
    /// Runs the emulator standalone until Ctrl+C (or <paramref name="cancellationToken"/>): parses the options, starts the
    /// emulator and prints a banner naming its address and delays.
    /// </summary>
    /// <param name="args">The arguments.</param>
    /// <param name="commandName">The command as the user typed it, for help and messages, for example <c>target-profile emulator</c>.</param>
    /// <param name="output">Where the banner and help go.</param>
    /// <param name="error">Where errors go: one line each.</param>
    /// <param name="cancellationToken">Stops the emulator.</param>
    /// <returns>0 after it stopped or for help; <see cref="UsageExitCode"/> (2) for an invalid option or an address already in use.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, string commandName, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (IsHelpRequested(args))
        {
            await output.WriteLineAsync(commandName + ": a local stand-in for Adobe Target's profile, bulk, token, attribute and privacy endpoints, until Ctrl+C.").ConfigureAwait(false);
            await output.WriteLineAsync("Usage: " + commandName + " [options]").ConfigureAwait(false);
            WriteUsage(output);
            return 0;
        }

        if (!TryParse(args, out var options, out string? problem))
        {
            await error.WriteLineAsync(commandName + ": " + problem).ConfigureAwait(false);
            return UsageExitCode;
        }

        TargetEmulator emulator;
        try
        {
            emulator = await TargetEmulator.StartAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await error.WriteLineAsync($"{commandName}: cannot listen on {options.Url}: the address is already in use or not available ({ex.GetBaseException().Message.TrimEnd('.')}). Choose another with --urls, for example --urls http://127.0.0.1:0.").ConfigureAwait(false);
            return UsageExitCode;
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync(commandName + ": " + ex.Message).ConfigureAwait(false);
            return UsageExitCode;
        }

        await using (emulator.ConfigureAwait(false))
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Target profile emulator for client code '{emulator.ClientCode}' listening on {emulator.BaseAddress} ({options.Profiles.Count} seeded profiles{(options.ImsClientId is null ? string.Empty : ", IMS flow on")}). Ctrl+C stops it.")).ConfigureAwait(false);
            await output.WriteLineAsync(DescribeDelays(options)).ConfigureAwait(false);
            await emulator.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>One line naming the emulator's delays, for banners: <c>Delays: propagation 2s, batch processing 2s, …</c>.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The line.</returns>
    public static string DescribeDelays(TargetEmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return $"Delays: propagation {Format(options.PropagationDelay)}, batch processing {Format(options.BatchProcessingDelay)}, profile creation {Format(options.ProfileCreationDelay)}, privacy jobs {Format(options.PrivacyProcessingDelay)}; profiles expire after {Format(options.ProfileLifetime)} without a visit.";
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

    private static string Format(TimeSpan value) =>
        value == TimeSpan.Zero ? "0s"
        : value.TotalDays >= 1 && value.Ticks % TimeSpan.TicksPerDay == 0 ? value.TotalDays.ToString(CultureInfo.InvariantCulture) + "d"
        : value.TotalHours >= 1 && value.Ticks % TimeSpan.TicksPerHour == 0 ? value.TotalHours.ToString(CultureInfo.InvariantCulture) + "h"
        : value.TotalMinutes >= 1 && value.Ticks % TimeSpan.TicksPerMinute == 0 ? value.TotalMinutes.ToString(CultureInfo.InvariantCulture) + "m"
        : value.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s";

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

    private sealed record Definition(string Switch, string Key, string Help, string Default, Action<TargetEmulatorOptions, string> Apply, bool IsFlag = false, bool IsSecret = false);
}
