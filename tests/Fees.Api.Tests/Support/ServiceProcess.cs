using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using TdmEdu.Fees.Api.Banks;

namespace TdmEdu.Fees.Api.Tests.Support;

/// <summary>
/// The real `fees` executable as its own process (the one `./fees up` runs), so a test can kill it with SIGKILL
/// mid-work, as a power cut or the kernel's OOM killer would, and start it again.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServiceProcess(Process process) => _process = process;

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "TdmEdu.Fees.Api.dll");

    /// <summary>Starts `fees ARGS` against the database with the tests' master key; for `serve`, waits until /health answers.</summary>
    public static async Task<ServiceProcess> StartAsync(string connection, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Dll, "--db", connection }.Concat(args)) psi.ArgumentList.Add(a);
        psi.Environment[SecretBox.Variable] = Environment.GetEnvironmentVariable(SecretBox.Variable) ?? throw new InvalidOperationException("no master key");
        psi.Environment["FEES_ACTOR"] = "crash-test";
        var p = Process.Start(psi)!;
        // Drain the output so the child never blocks on a full pipe.
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return new ServiceProcess(p);
    }

    public static async Task<(ServiceProcess Process, Uri Address)> ServeAsync(string connection)
    {
        var port = FreePort();
        var service = await StartAsync(connection, "serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var address = new Uri($"http://127.0.0.1:{port}/");
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (service._process.HasExited) throw new InvalidOperationException($"fees serve exited with {service._process.ExitCode}");
            try
            {
                if ((await client.GetAsync("/health")).IsSuccessStatusCode) return (service, address);
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("fees serve did not answer /health within 60 s.");
            await Task.Delay(50); // pacing between checks of the condition
        }
    }

    public bool HasExited => _process.HasExited;

    public async Task<int> WaitAsync(TimeSpan within)
    {
        await _process.WaitForExitAsync().WaitAsync(within);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush, no rollback but PostgreSQL's own.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
