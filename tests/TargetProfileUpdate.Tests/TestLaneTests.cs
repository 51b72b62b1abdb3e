using System.Reflection;
using System.Runtime.Versioning;

namespace TargetProfileUpdate.Tests;

/// <summary>
/// The test projects target net8.0 and net10.0 (tests/Net8TestRun.props): each build must run the library build of its
/// own framework on that framework's runtime. If the net8.0 run rolled forward to .NET 10, or loaded the net10.0
/// library, the .NET 8 configuration-binding generator would go untested while the run still looked green.
/// </summary>
public sealed class TestLaneTests
{
    [Fact]
    public void EachTargetFramework_RunsItsOwnLibraryBuild_OnItsOwnRuntime()
    {
        string testFramework = typeof(TestLaneTests).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName;
        string libraryFramework = typeof(ProfileUpdateClient).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName;
        int expectedMajor = new FrameworkName(testFramework).Version.Major;

        Assert.Equal(testFramework, libraryFramework);
        Assert.Equal(expectedMajor, Environment.Version.Major);
    }
}
