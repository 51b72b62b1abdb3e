using System;
using System.Collections.Generic;
using System.CommandLine;

namespace TargetProfileUpdate.Cli.Hosting;

/// <summary>
/// Keeps secrets given on the command line out of everything the tool prints. A secret option is refused by its name
/// only (whatever the spelling: <c>--token=…</c>, <c>--token:…</c>, <c>/token:…</c>, <c>-token …</c>, or a near miss such
/// as <c>--tokne</c>), and a parse error never echoes the value of an option the tool does not know.
/// </summary>
internal static class SecretArguments
{
    private static readonly string[] SecretNames =
    [
        "token", "profile-token", "authorization-token", "access-token", "bearer", "client-secret", "ims-client-secret", "secret", "password", "api-key",
    ];

    /// <summary>The option as typed, without its value (<c>--token</c> for <c>--token:abc</c>), when it names a secret.</summary>
    public static string? FindSecretOption(IReadOnlyList<string> args)
    {
        foreach (string arg in args)
        {
            if (Split(arg) is { } option && IsSecretName(option.Name))
            {
                return option.Prefix + option.Name;
            }
        }

        return null;
    }

    /// <summary>
    /// A parse error without the values of unknown options: <c>'--tokne=abc'</c> becomes <c>'--tokne=***'</c>, and the
    /// argument after an unknown option (<c>--tokne abc</c>) becomes <c>'***'</c>. Values of known options are shown as typed.
    /// </summary>
    public static string Redact(string message, IReadOnlyList<string> args, Command root)
    {
        var known = KnownOptions(root);
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (Split(arg) is { } option)
            {
                bool unknown = !known.Contains(option.Prefix + option.Name);
                if (unknown && option.HasValue)
                {
                    message = message.Replace("'" + arg + "'", "'" + option.Prefix + option.Name + "=***'", StringComparison.Ordinal);
                }
            }
            else if (i > 0 && Split(args[i - 1]) is { HasValue: false } previous && !known.Contains(previous.Prefix + previous.Name))
            {
                message = message.Replace("'" + arg + "'", "'***'", StringComparison.Ordinal);
            }
        }

        return message;
    }

    private static (string Prefix, string Name, bool HasValue)? Split(string arg)
    {
        int start = arg.StartsWith("--", StringComparison.Ordinal) ? 2 : arg.StartsWith('-') || arg.StartsWith('/') ? 1 : 0;
        if (start == 0 || arg.Length == start)
        {
            return null;
        }

        int end = arg.IndexOfAny(['=', ':'], start);
        return (arg[..start], end < 0 ? arg[start..] : arg[start..end], end >= 0);
    }

    private static bool IsSecretName(string name)
    {
        string lower = name.ToLowerInvariant().Replace('_', '-');
        foreach (string secret in SecretNames)
        {
            if (lower == secret || (lower.Length >= 4 && Distance(lower, secret) <= (secret.Length <= 6 ? 1 : 2)))
            {
                return true;
            }
        }

        return lower.Contains("secret", StringComparison.Ordinal) || lower.Contains("password", StringComparison.Ordinal) || lower.EndsWith("token", StringComparison.Ordinal);
    }

    /// <summary>Optimal string alignment distance (a swap of two neighbours is one edit: <c>tokne</c> is one from <c>token</c>).</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    private static HashSet<string> KnownOptions(Command root)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Command>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var command = pending.Pop();
            foreach (var option in command.Options)
            {
                names.Add(option.Name);
                foreach (string alias in option.Aliases)
                {
                    names.Add(alias);
                }
            }

            foreach (var sub in command.Subcommands)
            {
                pending.Push(sub);
            }
        }

        return names;
    }
}
