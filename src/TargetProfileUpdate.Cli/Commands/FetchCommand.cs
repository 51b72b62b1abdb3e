using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Spectre.Console;
using TargetProfileUpdate.Cli.Hosting;
using TargetProfileUpdate.Cli.Output;

namespace TargetProfileUpdate.Cli.Commands;

/// <summary><c>target-profile fetch (--third-party-id ID | --pc-id ID | --ecid ID) [--json]</c>.</summary>
internal static class FetchCommand
{
    public static Command Create()
    {
        var ids = new IdOptions(allowEcid: true);
        var json = new Option<bool>("--json") { Description = "Print the profile as JSON instead of a table." };
        var command = new Command("fetch", "Read one profile through the Profile Fetch API: its attributes with their modification times. Exit code 3 when not found.");
        ids.AddTo(command);
        command.Options.Add(json);
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, ids, json, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, IdOptions ids, Option<bool> json, CancellationToken cancellationToken)
    {
        ProfileId id;
        try
        {
            id = ids.GetId(parseResult);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message, ex);
        }

        var session = await TargetSession.OpenAsync(parseResult, null, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            TargetProfile? profile;
            try
            {
                profile = await session.FetchClient.GetProfileAsync(id, cancellationToken).ConfigureAwait(false);
            }
            catch (ProfileApiException ex)
            {
                Terminal.Error("the profile could not be read: " + ErrorText.Describe(ex));
                return ExitCodes.Failed;
            }

            if (profile is null)
            {
                Terminal.Error("no profile found for that " + KindName(id.Kind) + " (it may never have existed, or it expired after 14 days without activity).");
                return ExitCodes.NotFound;
            }

            if (parseResult.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(ToJson(profile), CliJsonContext.Default.FetchedProfile));
            }
            else
            {
                WriteTable(profile);
            }

            return ExitCodes.Success;
        }
    }

    private static void WriteTable(TargetProfile profile)
    {
        var console = Terminal.Out;
        var header = new Grid().AddColumn().AddColumn();
        header.AddRow(new Text("thirdPartyId"), new Text(profile.ThirdPartyId ?? "-"));
        header.AddRow(new Text("pcId"), new Text(profile.PcId ?? "-"));
        header.AddRow(new Text("visitorId"), new Text(profile.VisitorId ?? "-"));
        header.AddRow(new Text("modified"), new Text(Format(profile.ModifiedAt)));
        console.Write(header);

        var table = new Table().AddColumn("Attribute").AddColumn("Value").AddColumn("Modified");
        foreach (var (name, attribute) in profile.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            table.AddRow(new Text(name), new Text(attribute.Value), new Text(Format(attribute.ModifiedAt)));
        }

        console.Write(table);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{profile.Attributes.Count} attribute(s)"));
    }

    private static FetchedProfile ToJson(TargetProfile profile) => new()
    {
        ThirdPartyId = profile.ThirdPartyId,
        PcId = profile.PcId,
        VisitorId = profile.VisitorId,
        ModifiedAt = profile.ModifiedAt,
        Attributes = profile.Attributes
            .OrderBy(a => a.Key, StringComparer.Ordinal)
            .ToDictionary(a => a.Key, a => new FetchedAttribute { Value = a.Value.Value, ModifiedAt = a.Value.ModifiedAt }, StringComparer.Ordinal),
    };

    private static string Format(DateTimeOffset? time) => time?.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture) ?? "-";

    private static string KindName(ProfileIdKind kind) => kind switch
    {
        ProfileIdKind.ThirdPartyId => "third-party id",
        ProfileIdKind.PcId => "PC id",
        _ => "ECID",
    };
}

/// <summary>The JSON that <c>fetch --json</c> prints.</summary>
internal sealed class FetchedProfile
{
    public string? ThirdPartyId { get; init; }

    public string? PcId { get; init; }

    public string? VisitorId { get; init; }

    public DateTimeOffset? ModifiedAt { get; init; }

    public Dictionary<string, FetchedAttribute> Attributes { get; init; } = [];
}

/// <summary>One attribute in <see cref="FetchedProfile"/>.</summary>
internal sealed class FetchedAttribute
{
    public string Value { get; init; } = string.Empty;

    public DateTimeOffset? ModifiedAt { get; init; }
}
