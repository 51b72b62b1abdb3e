// Every test here packs the libraries (dotnet pack), builds a consumer against the packages, publishes it with Native
// AOT or starts a real redis-server: the whole assembly is in the slow lane (./build.sh test-slow).
[assembly: AssemblyTrait("Category", "Slow")]
