using System.Diagnostics;
using System.Globalization;

/// <summary>The failover drill inside the payment peak (./fees bench peak --ha): where the cluster is, and what the drill saw.</summary>
public static partial class PeakBenchmark
{
    /// <summary>Where the local HA cluster is and how to reach its script (./fees bench peak --ha sets both).</summary>
    public sealed record HaDrill(string Script, string Dir)
    {
        public async Task<string> ScriptAsync(params string[] args)
        {
            var psi = new ProcessStartInfo(Script) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { args[0], Dir }.Concat(args.Skip(1))) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEndAsync();
            var error = p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            if (p.ExitCode != 0) throw new InvalidOperationException($"ha-cluster {args[0]} failed: {await error}");
            return await output;
        }
    }

    /// <summary>
    /// The failover in the middle of the peak: the primary's postmaster killed once <paramref name="killAfter"/> calls are
    /// acknowledged; refused or cut sends counted; the time without service measured from the first refused send to the
    /// first acknowledgement of a send that began after it.
    /// </summary>
    private sealed class Drill(HaDrill ha, Stopwatch clock, int killAfter)
    {
        private readonly Lock _gate = new();
        private int _acknowledged;
        private int _refused;
        private double? _firstRefusal;
        private double? _back;

        public double Now => clock.Elapsed.TotalSeconds;

        public int Refused => _refused;

        public double KilledAt { get; private set; }

        public string Killed { get; private set; } = "";

        public double Outage() => _firstRefusal is { } from && _back is { } to ? to - from : 0;

        public async Task HeardAsync(double began, int status)
        {
            var now = Now;
            var kill = false;
            lock (_gate)
            {
                if (status != 200)
                {
                    _refused++;
                    _firstRefusal ??= now;
                }
                else
                {
                    if (_firstRefusal is { } first && _back is null && began >= first) _back = now;
                    kill = ++_acknowledged == killAfter;
                }
            }
            if (!kill) return;
            KilledAt = Now;
            Killed = (await ha.ScriptAsync("kill-primary")).Trim();
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{killAfter:N0} calls acknowledged: the primary's postmaster ({Killed}) killed at {KilledAt:0.0} s."));
        }
    }
}
