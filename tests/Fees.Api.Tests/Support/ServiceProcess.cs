using System.Diagnostics;
using TdmEdu.Fees.Api.Security;

namespace TdmEdu.Fees.Api.Tests.Support;

/// <summary>
/// The real `fees` executable as its own process (the one `./fees up` runs), so a test can kill it with SIGKILL
/// mid-work, as a power cut or the kernel's OOM killer would, and start it again. A test waits for what the
/// process says (a line on its output), never for time to pass.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<(string Text, TaskCompletionSource Said)> _waiting = [];
    private readonly List<string> _lines = [];
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceProcess(Process process) => _process = process;

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "TdmEdu.Fees.Api.dll");

    /// <summary>Starts `fees ARGS` against the database with the tests' master key.</summary>
    public static ServiceProcess Start(string connection, params string[] args) => Start(connection, null, args);

    /// <summary>Starts `fees ARGS` with settings of its own in the environment (e.g. <c>Metrics__Port</c>).</summary>
    public static ServiceProcess Start(string connection, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Dll, "--db", connection }.Concat(args)) psi.ArgumentList.Add(a);
        psi.Environment[SecretBox.Variable] = Environment.GetEnvironmentVariable(SecretBox.Variable) ?? throw new InvalidOperationException("no master key");
        // A service process of a test lives seconds: dynamic PGO's instrumented tiers would cost more than they save.
        psi.Environment["DOTNET_TieredPGO"] = "0";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) psi.Environment[name] = value;
        return Launch(psi);
    }

    /// <summary>Any other program the tests run beside the service (Prometheus), watched the same way.</summary>
    public static ServiceProcess Program(string file, IEnumerable<string> args, string workingDirectory)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Launch(psi);
    }

    private static ServiceProcess Launch(ProcessStartInfo psi)
    {
        var p = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var service = new ServiceProcess(p);
        p.OutputDataReceived += (_, e) => service.Heard(e.Data);
        p.ErrorDataReceived += (_, e) => service.Heard(e.Data);
        p.Exited += (_, _) => service._exited.TrySetResult();
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return service;
    }

    /// <summary>`fees serve` on a free port, returned once it says it is serving (after Kestrel listens).</summary>
    public static async Task<(ServiceProcess Process, Uri Address)> ServeAsync(string connection, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = PostgresServer.FreePort();
        var service = Start(connection, environment, "serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await service.SaysAsync("is serving at", TimeSpan.FromSeconds(60));
        return (service, new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>How many lines the process has written so far: a mark for <see cref="SaysAsync"/>'s <c>after</c>.</summary>
    public int LinesSoFar
    {
        get
        {
            lock (_waiting) return _lines.Count;
        }
    }

    /// <summary>
    /// Completes when the process writes a line containing <paramref name="text"/> (after its first
    /// <paramref name="after"/> lines); fails if it exits first.
    /// </summary>
    public async Task SaysAsync(string text, TimeSpan within, int after = 0)
    {
        var said = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiting)
        {
            if (_lines.Skip(after).Any(l => l.Contains(text, StringComparison.Ordinal))) return;
            _waiting.Add((text, said));
        }
        if (await Task.WhenAny(said.Task, _exited.Task).WaitAsync(within) != said.Task)
        {
            await _process.WaitForExitAsync(); // the output is read to its end
            lock (_waiting)
            {
                if (_lines.Skip(after).Any(l => l.Contains(text, StringComparison.Ordinal))) return;
                throw new InvalidOperationException($"the process ended (exit {_process.ExitCode}) without saying \"{text}\": {string.Join(" | ", _lines.TakeLast(5))}");
            }
        }
    }

    private void Heard(string? line)
    {
        if (line is null) return;
        lock (_waiting)
        {
            _lines.Add(line);
            foreach (var w in _waiting.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).ToList())
            {
                w.Said.TrySetResult();
                _waiting.Remove(w);
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    /// <summary>The lines written so far that contain <paramref name="text"/> (for a failing test's message).</summary>
    public List<string> LinesWith(string text)
    {
        lock (_waiting) return _lines.Where(l => l.Contains(text, StringComparison.OrdinalIgnoreCase)).ToList();
    }

    /// <summary>SIGTERM, what systemd and `kill` send: the host is asked to stop; the task completes when it has ended.</summary>
    public Task TerminateAsync()
    {
        if (!_process.HasExited && Kill(_process.Id, 15) != 0) throw new InvalidOperationException($"kill -TERM {_process.Id} failed");
        return _process.WaitForExitAsync();
    }

    /// <summary>The exit code, once the process has ended.</summary>
    public int ExitCode => _process.ExitCode;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>SIGKILL: no shutdown hooks, no flush, no rollback but PostgreSQL's own.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
