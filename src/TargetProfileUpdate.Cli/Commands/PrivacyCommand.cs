using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CsvHelper;
using CsvHelper.Configuration;
using TargetProfileUpdate.Cli.Hosting;
using TargetProfileUpdate.Cli.Output;

namespace TargetProfileUpdate.Cli.Commands;

/// <summary>
/// <c>target-profile privacy delete|access (--third-party-id ID | --pc-id ID | --ecid ID | --file ids.csv) --regulation R [--wait]</c>
/// and <c>target-profile privacy status JOBID…</c>: Adobe Privacy Service jobs for Target. Job ids go to stdout (one per line,
/// with the action and state); ids are never printed (a file's rows are named by line number).
/// </summary>
internal static class PrivacyCommand
{
    private const string EnvHelp = "Needs the IMS credential (TARGET_IMS_CLIENT_ID, TARGET_IMS_CLIENT_SECRET, TARGET_IMS_SCOPES, TARGET_TENANT) and TARGET_IMS_ORG_ID; optional TARGET_PRIVACY_BASE_ADDRESS (the emulator), TARGET_IMS_TOKEN_ENDPOINT, TARGET_PRIVACY_HASH_SECRET and TARGET_SUPPRESSION_FILE (a file of hashes that keeps deleted ids suppressed for later runs).";

    public static Command Create()
    {
        var command = new Command("privacy", "Erase or export profiles through Adobe Privacy Service, and follow the jobs. " + EnvHelp);
        command.Subcommands.Add(RequestCommand("delete", PrivacyAction.Delete, "Ask Privacy Service to erase the profiles (Target erases the profile; reports and aggregates stay)."));
        command.Subcommands.Add(RequestCommand("access", PrivacyAction.Access, "Ask Privacy Service to export the profiles' data."));
        command.Subcommands.Add(StatusCommand());
        return command;
    }

    private static Command RequestCommand(string name, PrivacyAction action, string description)
    {
        var ids = new IdOptions(allowEcid: true);
        var file = new Option<FileInfo?>("--file") { Description = "A CSV file of ids: a header naming the kind (thirdPartyId, pcId or ecid), then one id per line." };
        var regulation = new Option<string>("--regulation") { Description = "The regulation (gdpr, ccpa, cpra_ca_usa, …), passed to Privacy Service as is.", Required = true };
        var wait = new Option<bool>("--wait") { Description = "Wait until every job is complete (polls each job)." };
        var poll = new Option<string>("--poll-interval") { Description = "With --wait: time between two polls of a job, such as 30s or 1m (at least 1s).", DefaultValueFactory = _ => "1m" };
        var command = new Command(name, description);
        command.Options.Add(ids.ThirdPartyId);
        command.Options.Add(ids.PcId);
        command.Options.Add(ids.Ecid!);
        command.Options.Add(file);
        command.Options.Add(regulation);
        command.Options.Add(wait);
        command.Options.Add(poll);
        command.Validators.Add(result =>
        {
            int given = new Option[] { ids.ThirdPartyId, ids.PcId, ids.Ecid!, file }.Count(o => result.GetResult(o) is not null);
            if (given != 1)
            {
                result.AddError("Give exactly one of --third-party-id, --pc-id, --ecid or --file.");
            }
        });
        command.SetAction((parseResult, cancellationToken) => RunRequestAsync(parseResult, action, ids, file, regulation, wait, poll, cancellationToken));
        return command;
    }

    private static Command StatusCommand()
    {
        var jobs = new Argument<string[]>("jobId") { Description = "One or more job ids.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("status", "Print the status of privacy jobs. Exit code 3 when a job is unknown, 1 when a job ended in error.");
        command.Arguments.Add(jobs);
        command.SetAction((parseResult, cancellationToken) => RunStatusAsync(parseResult, jobs, cancellationToken));
        return command;
    }

    private static async Task<int> RunRequestAsync(ParseResult parseResult, PrivacyAction action, IdOptions idOptions, Option<FileInfo?> file, Option<string> regulationOption, Option<bool> waitOption, Option<string> pollOption, CancellationToken cancellationToken)
    {
        string regulation = parseResult.GetValue(regulationOption)!;
        var interval = Durations.Parse(parseResult.GetValue(pollOption), "--poll-interval", PrivacyJob.MinPollInterval, TimeSpan.FromDays(1));

        List<ProfileId> ids;
        try
        {
            ids = parseResult.GetValue(file) is { } csv ? ReadIds(csv) : [idOptions.GetId(parseResult)];
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message, ex);
        }

        var session = await TargetSession.OpenAsync(parseResult, null, cancellationToken).ConfigureAwait(false);
        await using var sessionScope = session.ConfigureAwait(false);
        var client = session.PrivacyClient;
        var jobs = new List<PrivacyJob>(ids.Count);
        bool showProgress = ids.Count > ProfilePrivacyClient.MaxUsersPerRequest || parseResult.GetValue(file) is not null;
        for (int start = 0; start < ids.Count; start += ProfilePrivacyClient.MaxUsersPerRequest)
        {
            var chunk = ids.GetRange(start, Math.Min(ProfilePrivacyClient.MaxUsersPerRequest, ids.Count - start));
            try
            {
                var result = action == PrivacyAction.Delete
                    ? await client.RequestDeletionAsync(chunk, regulation, cancellationToken).ConfigureAwait(false)
                    : await client.RequestAccessAsync(chunk, regulation, cancellationToken).ConfigureAwait(false);
                jobs.AddRange(result.Jobs);
            }
            catch (ArgumentException ex)
            {
                throw new UsageException(ex.Message, ex);
            }
            catch (InvalidOperationException ex)
            {
                throw new UsageException(ex.Message + " " + EnvHelp, ex);
            }
            catch (ProfileApiException ex)
            {
                Terminal.Error(string.Create(CultureInfo.InvariantCulture, $"the request for ids {start + 1} to {start + chunk.Count} failed: {ErrorText.Describe(ex)}"));
                PrintJobs(jobs, ids);
                return ExitCodes.Failed;
            }

            if (showProgress)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"requested {start + chunk.Count}/{ids.Count} id(s): {jobs.Count} job(s)"));
            }
        }

        if (!parseResult.GetValue(waitOption))
        {
            PrintJobs(jobs, ids);
            return ExitCodes.Success;
        }

        int done = 0;
        bool failed = false;
        foreach (var job in jobs)
        {
            try
            {
                await job.WaitForCompletionAsync(interval, cancellationToken).ConfigureAwait(false);
            }
            catch (ProfileApiException ex)
            {
                Terminal.Error("job " + job.Id + " could not be read: " + ErrorText.Describe(ex));
                failed = true;
            }

            done++;
            if (showProgress)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"complete {done}/{jobs.Count} job(s)"));
            }
        }

        PrintJobs(jobs, ids);
        return failed || jobs.Any(j => j.Status is { State: PrivacyJobState.Error } or { TargetOutcome: PrivacyTargetOutcome.Error or PrivacyTargetOutcome.NotApplicable })
            ? ExitCodes.Failed
            : ExitCodes.Success;
    }

    private static async Task<int> RunStatusAsync(ParseResult parseResult, Argument<string[]> jobIds, CancellationToken cancellationToken)
    {
        var session = await TargetSession.OpenAsync(parseResult, null, cancellationToken).ConfigureAwait(false);
        await using var sessionScope = session.ConfigureAwait(false);
        var client = session.PrivacyClient;
        int exit = ExitCodes.Success;
        foreach (string jobId in parseResult.GetValue(jobIds) ?? [])
        {
            try
            {
                var status = await client.GetJobStatusAsync(jobId, cancellationToken).ConfigureAwait(false);
                Console.Out.WriteLine(Line(status.JobId, status.Action, status));
                if (status.State == PrivacyJobState.Error || status.TargetOutcome is PrivacyTargetOutcome.Error or PrivacyTargetOutcome.NotApplicable)
                {
                    exit = Math.Max(exit, ExitCodes.Failed);
                }
            }
            catch (ArgumentException ex)
            {
                throw new UsageException(ex.Message, ex);
            }
            catch (InvalidOperationException ex)
            {
                throw new UsageException(ex.Message + " " + EnvHelp, ex);
            }
            catch (ProfileApiException ex) when (ex.StatusCode == 404)
            {
                Terminal.Error("job " + jobId + " is unknown to Privacy Service (jobs are kept 30 days after they complete).");
                exit = exit == ExitCodes.Success ? ExitCodes.NotFound : exit;
            }
            catch (ProfileApiException ex)
            {
                Terminal.Error("job " + jobId + " could not be read: " + ErrorText.Describe(ex));
                exit = ExitCodes.Failed;
            }
        }

        return exit;
    }

    /// <summary>Reads a CSV of ids: the header names the kind, then one id per row; blank rows are skipped.</summary>
    internal static List<ProfileId> ReadIds(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new ArgumentException("The file " + file.FullName + " does not exist.");
        }

        using var reader = new StreamReader(file.FullName, System.Text.Encoding.UTF8);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { HasHeaderRecord = true, DetectColumnCountChanges = false });
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
        {
            throw new ArgumentException("The file has no header: its first line must name the kind of id (thirdPartyId, pcId or ecid).");
        }

        Func<string, ProfileId> create = header[0].Trim().ToLowerInvariant() switch
        {
            "thirdpartyid" or "third-party-id" or "mbox3rdpartyid" => ProfileId.FromThirdPartyId,
            "pcid" or "pc-id" or "tntid" or "mboxpc" => ProfileId.FromPcId,
            "ecid" or "marketingcloudvisitorid" => ProfileId.FromMarketingCloudVisitorId,
            _ => throw new ArgumentException("The file's first column must be thirdPartyId, pcId or ecid."),
        };
        var ids = new List<ProfileId>();
        while (csv.Read())
        {
            string? value = csv.GetField(0);
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            try
            {
                ids.Add(create(value));
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Line {csv.Parser.RawRow}: the id is not valid ({ex.GetType().Name})."), ex);
            }
        }

        return ids.Count > 0 ? ids : throw new ArgumentException("The file holds no id.");
    }

    private static void PrintJobs(List<PrivacyJob> jobs, List<ProfileId> ids)
    {
        var position = new Dictionary<ProfileId, int>();
        for (int i = 0; i < ids.Count; i++)
        {
            position.TryAdd(ids[i], i + 1);
        }

        foreach (var job in jobs)
        {
            string row = job.ProfileId is { } id && position.TryGetValue(id, out int n) ? "#" + n.ToString(CultureInfo.InvariantCulture) : "-";
            Console.Out.WriteLine(Line(job.Id, job.Action, job.Status) + "\t" + row);
        }
    }

    private static string Line(string jobId, PrivacyAction? action, PrivacyJobStatus? status) =>
        jobId + "\t" + (action?.ToString().ToLowerInvariant() ?? "?") + "\t" + (status?.StatusText ?? "submitted")
        + (status is null ? string.Empty : "\tTarget: " + status.TargetOutcome + (status.AttributeNames.Count > 0 ? " (" + string.Join(", ", status.AttributeNames) + ")" : string.Empty));
}
