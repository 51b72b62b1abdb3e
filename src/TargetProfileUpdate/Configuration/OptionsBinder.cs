using System;
using System.Collections.Generic;
using Microsoft.Extensions.Configuration;

namespace TargetProfileUpdate.Configuration;

/// <summary>
/// Binds <see cref="TargetProfileUpdateOptions"/> from configuration with the configuration binding source generator
/// (<c>EnableConfigurationBindingGenerator</c>): the <c>Bind</c> call below is intercepted by generated code, so no
/// reflection runs and the package stays trimming- and Native-AOT-safe. <see cref="ConfigurationReader"/> checks the
/// section first; its findings travel with the options (<see cref="ConfigurationOrigin"/>) to the validator, which reports
/// them with the range and format failures in one message when the host starts.
/// </summary>
internal static class OptionsBinder
{
    public static void Bind(IConfiguration configuration, TargetProfileUpdateOptions options)
    {
        var failures = new List<string>();
        IConfiguration view = ConfigurationReader.Read(configuration, OptionsSchema.Account, failures);
        try
        {
            view.Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            // Not expected (the reader leaves bad values out of the view), but the generated binder's inner exception
            // (int.Parse, TimeSpan.Parse, new Uri) quotes the value, which may be a secret: keep the key and type only.
            failures.Add(DescribeWithoutValue(ex.Message, configuration));
        }

        options.Origin = new ConfigurationOrigin(ConfigurationReader.PathOf(configuration), failures);
    }

    /// <summary>
    /// Rebuilds "Failed to convert configuration value at '{key}' to type '{type}'." (8.0) or "Failed to convert configuration
    /// value '{value}' at '{key}' to type '{type}'." (later versions) from its key and type only, so the value never leaks;
    /// anything else is described by the section alone.
    /// </summary>
    internal static string DescribeWithoutValue(string message, IConfiguration configuration)
    {
        const string KeyStart = " at '";
        const string TypeStart = "' to type '";
        int key = message.LastIndexOf(KeyStart, StringComparison.Ordinal);
        int type = key < 0 ? -1 : message.IndexOf(TypeStart, key, StringComparison.Ordinal);
        int end = type < 0 ? -1 : message.IndexOf('\'', type + TypeStart.Length);
        if (end > 0)
        {
            string path = message.Substring(key + KeyStart.Length, type - key - KeyStart.Length);
            string typeName = message.Substring(type + TypeStart.Length, end - type - TypeStart.Length);
            return "The configuration value of '" + path + "' is not a valid " + typeName + ".";
        }

        string section = configuration is IConfigurationSection s ? s.Path : "(root)";
        return "A configuration value under '" + section + "' could not be bound to its option's type.";
    }
}
