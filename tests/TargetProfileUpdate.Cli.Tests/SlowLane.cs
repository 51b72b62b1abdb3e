// Every test here runs the built tool as a child process (dotnet target-profile.dll, dotnet pack, dotnet tool install):
// the whole assembly is in the slow lane (./build.sh test-slow), so a test added to any class lands there too.
[assembly: AssemblyTrait("Category", "Slow")]
