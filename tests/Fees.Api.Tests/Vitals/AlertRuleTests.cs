using System.Diagnostics;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Vitals;

/// <summary>
/// The alert rules on made-up series, by Prometheus' own rule tester (ops/prometheus/fees-alerts.test.yml): rules whose
/// condition takes hours to arise (an audit that stopped running) are proved here; the others fire in PrometheusTests.
/// </summary>
public sealed class AlertRuleTests
{
    [Fact]
    public async Task TheRules_PassPromtoolsCheck_AndTheirUnitTests()
    {
        var folder = Repository.Path("ops", "prometheus");
        var check = await PromtoolAsync(folder, "check", "rules", "fees-alerts.yml");
        var tests = await PromtoolAsync(folder, "test", "rules", "fees-alerts.test.yml");

        Assert.True(check.Code == 0, check.Output);
        Assert.True(tests.Code == 0, tests.Output);
        Assert.Contains("SUCCESS", tests.Output, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output)> PromtoolAsync(string folder, params string[] args)
    {
        var start = new ProcessStartInfo("promtool") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await p.WaitForExitAsync(limit.Token);
        return (p.ExitCode, await output + await error);
    }
}
