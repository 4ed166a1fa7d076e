using System.Globalization;

/// <summary>
/// CPU seconds used so far by this process and by one PostgreSQL cluster: its postmaster, every process it started
/// and every one of those that ended (Linux: /proc, at the kernel's usual 100 ticks a second). Where a benchmark's time
/// goes when both cores are busy. Zero for PostgreSQL elsewhere, or when the postmaster is not found.
/// </summary>
internal readonly record struct Cpu(double Process, double Postgres)
{
    public static Cpu Now(int postmaster) => new(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, PostgresSeconds(postmaster));

    public static Cpu operator -(Cpu a, Cpu b) => new(a.Process - b.Process, a.Postgres - b.Postgres);

    /// <summary>The postmaster of a backend: its parent process (0 when /proc does not say).</summary>
    public static int ParentOf(int pid) => Stat(pid) is { } f ? int.Parse(f[1], CultureInfo.InvariantCulture) : 0;

    private static double PostgresSeconds(int postmaster)
    {
        if (postmaster <= 0 || !Directory.Exists("/proc")) return 0;
        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            if (Stat(pid) is not { } f) continue;
            if (pid == postmaster)
                // Its own time and its ended children's (cutime, cstime): a backend that ended during the measurement still counts.
                ticks += f.Skip(11).Take(4).Sum(t => long.Parse(t, CultureInfo.InvariantCulture));
            else if (int.Parse(f[1], CultureInfo.InvariantCulture) == postmaster)
                ticks += long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
        }
        return ticks / 100.0;
    }

    /// <summary>The fields of /proc/PID/stat after the command's closing parenthesis (state, ppid, ...; utime is [11]).</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            return close < 0 ? null : stat[(close + 2)..].Split(' ');
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
