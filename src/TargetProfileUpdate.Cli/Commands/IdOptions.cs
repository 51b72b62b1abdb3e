using System.CommandLine;
using System.Linq;

namespace TargetProfileUpdate.Cli.Commands;

/// <summary>The profile id options: exactly one of them per command.</summary>
internal sealed class IdOptions
{
    public IdOptions(bool allowEcid)
    {
        ThirdPartyId = new Option<string?>("--third-party-id") { Description = "Your own id of the visitor (mbox3rdPartyId)." };
        PcId = new Option<string?>("--pc-id") { Description = "Target's PC id of the visitor (mboxPC / tntId)." };
        Ecid = allowEcid ? new Option<string?>("--ecid") { Description = "The Experience Cloud id (marketingCloudVisitorId)." } : null;
    }

    public Option<string?> ThirdPartyId { get; }

    public Option<string?> PcId { get; }

    public Option<string?>? Ecid { get; }

    public void AddTo(Command command)
    {
        command.Options.Add(ThirdPartyId);
        command.Options.Add(PcId);
        if (Ecid is not null)
        {
            command.Options.Add(Ecid);
        }

        string names = Ecid is null ? "--third-party-id or --pc-id" : "--third-party-id, --pc-id or --ecid";
        command.Validators.Add(result =>
        {
            int given = new[] { ThirdPartyId, PcId, Ecid }.Count(o => o is not null && result.GetResult(o) is not null);
            if (given != 1)
            {
                result.AddError("Give exactly one of " + names + ".");
            }
        });
    }

    /// <summary>The id given (the validator guarantees exactly one).</summary>
    public ProfileId GetId(ParseResult parseResult)
    {
        if (parseResult.GetValue(ThirdPartyId) is { } thirdPartyId)
        {
            return ProfileId.FromThirdPartyId(thirdPartyId);
        }

        if (parseResult.GetValue(PcId) is { } pcId)
        {
            return ProfileId.FromPcId(pcId);
        }

        return ProfileId.FromMarketingCloudVisitorId(parseResult.GetValue(Ecid!) ?? string.Empty);
    }
}
