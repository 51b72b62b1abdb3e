using System;
using Spectre.Console;

namespace TargetProfileUpdate.Cli.Output;

/// <summary>
/// Where the tool writes. On a terminal: Spectre.Console with colours and live displays. When standard output is
/// redirected (CI, logs, a pipe): the same text with no escape codes at all, and no live display.
/// </summary>
internal static class Terminal
{
    private static readonly Lazy<IAnsiConsole> LazyOut = new(Create);

    /// <summary>Gets whether standard output is an interactive terminal (live progress is shown only then).</summary>
    public static bool IsInteractive => !Console.IsOutputRedirected;

    /// <summary>Gets the console for standard output.</summary>
    public static IAnsiConsole Out => LazyOut.Value;

    /// <summary>Writes an error line to standard error (plain text, never markup).</summary>
    public static void Error(string message) => Console.Error.WriteLine("error: " + message);

    private static IAnsiConsole Create()
    {
        bool redirected = Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        if (redirected)
        {
            // A log has no width: never wrap a line in the middle.
            console.Profile.Width = 4096;
        }

        return console;
    }
}
