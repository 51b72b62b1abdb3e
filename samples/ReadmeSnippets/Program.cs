// The entry point `dotnet new worker` would have; the README's blocks are the other files of this project.
using ReadmeSnippets;

using var host = Registration.Build(args);
await host.RunAsync();
