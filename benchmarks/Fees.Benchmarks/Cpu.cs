using System.Globalization;

/// <summary>
/// CPU seconds used so far by this process and by every PostgreSQL process of the machine, ended ones too (Linux: /proc, at the
/// kernel's usual 100 ticks a second): where a benchmark's time goes when both cores are busy. Zero for PostgreSQL elsewhere.
/// </summary>
internal readonly record struct Cpu(double Process, double Postgres)
{
    public static Cpu Now() => new(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, PostgresSeconds());

    public static Cpu operator -(Cpu a, Cpu b) => new(a.Process - b.Process, a.Postgres - b.Postgres);

    private static double PostgresSeconds()
    {
        if (!Directory.Exists("/proc")) return 0;
        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // pid (comm) state ...: the fields after the command's closing parenthesis; utime and stime are the 12th and 13th.
                var close = stat.LastIndexOf(')');
                if (close < 0 || !stat[..close].Contains("(postgres", StringComparison.Ordinal)) continue;
                var f = stat[(close + 2)..].Split(' ');
                // With the children's (cutime, cstime): the postmaster's hold every backend that ended, so a connection
                // closed during the measurement still counts.
                ticks += f.Skip(11).Take(4).Sum(t => long.Parse(t, CultureInfo.InvariantCulture));
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return ticks / 100.0;
    }
}
