using System;
using Microsoft.Extensions.Configuration;

namespace TargetProfileUpdate.Configuration;

/// <summary>
/// Binds <see cref="TargetProfileUpdateOptions"/> from configuration with the configuration binding source generator
/// (<c>EnableConfigurationBindingGenerator</c>): the <c>Bind</c> call below is intercepted by generated code, so no
/// reflection runs and the package stays trimming- and Native-AOT-safe.
/// </summary>
internal static class OptionsBinder
{
    public static void Bind(IConfiguration configuration, TargetProfileUpdateOptions options)
    {
        try
        {
            configuration.Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            // The generated binder's message names the key, but its inner exception (int.Parse, TimeSpan.Parse, new Uri)
            // quotes the value, which may be a secret. Rethrow with the key and the expected type only, no inner exception.
            throw new InvalidOperationException(DescribeWithoutValue(ex.Message, configuration));
        }
    }

    /// <summary>
    /// Rebuilds "Failed to convert configuration value at '{key}' to type '{type}'." from its key and type only, so a
    /// future wording that quoted the value could not leak it; anything else is described by the section alone.
    /// </summary>
    internal static string DescribeWithoutValue(string message, IConfiguration configuration)
    {
        const string KeyStart = " at '";
        const string TypeStart = "' to type '";
        int key = message.IndexOf(KeyStart, StringComparison.Ordinal);
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
