using Quartz;
using TdmEdu.Fees.Reconciliation.Jobs;

namespace TdmEdu.Fees.Reconciliation.Tests.Jobs;

/// <summary>Every scheduled job is one call of its port, never beside itself (Quartz reads the attribute on the job's own class).</summary>
public sealed class PortJobTests
{
    [Fact]
    public void EveryJob_NeverRunsBesideItself()
    {
        var jobs = typeof(FeeJobs).Assembly.GetTypes().Where(t => typeof(IJob).IsAssignableFrom(t) && !t.IsAbstract).ToList();
        Assert.Equal(10, jobs.Count);
        Assert.All(jobs, j => Assert.True(j.IsDefined(typeof(DisallowConcurrentExecutionAttribute), inherit: false), $"{j.Name} may run beside itself"));
    }

    [Fact]
    public async Task AJob_CallsItsPortOnce_WithTheSchedulersCancellation()
    {
        var run = new CountingRun();
        using var stop = new CancellationTokenSource();
        await new SendMessagesJob(run).Execute(null!, stop.Token);
        Assert.Equal(1, run.Calls);
        Assert.Equal(stop.Token, run.Token);
    }

    private sealed class CountingRun : IMessageRun
    {
        public int Calls { get; private set; }
        public CancellationToken Token { get; private set; }

        public Task<int> SendAsync(CancellationToken ct)
        {
            (Calls, Token) = (Calls + 1, ct);
            return Task.FromResult(0);
        }
    }
}
