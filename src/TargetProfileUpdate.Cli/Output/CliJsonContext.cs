using System.Text.Json.Serialization;
using TargetProfileUpdate.Cli.Commands;

namespace TargetProfileUpdate.Cli.Output;

/// <summary>Source-generated JSON (no reflection, trim- and AOT-safe) for what the tool prints.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FetchedProfile))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
