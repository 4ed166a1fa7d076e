namespace TdmEdu.Fees.Api.Cli.Toolkit;

/// <summary>The exit codes of contracts/cli.md.</summary>
public static class ExitCode
{
    public const int Ok = 0, Usage = 1, BadInput = 2, Refused = 3, Environment = 4;
}

/// <summary>The command line is wrong: unknown command or option, a missing or malformed value. Exit 1.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>Writes progress lines as they come, in order (Progress&lt;T&gt; would post them to the thread pool).</summary>
public sealed class LineProgress(TextWriter writer) : IProgress<string>
{
    public void Report(string value) => writer.WriteLine(value);
}
