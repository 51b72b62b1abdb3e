using System;

namespace TargetProfileUpdate.Cli;

/// <summary>A usage, configuration or input-file error: printed as is, exit code 2, nothing sent.</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UsageException()
    {
    }
}
