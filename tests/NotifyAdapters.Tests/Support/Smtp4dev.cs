using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace TdmEdu.Fees.NotifyAdapters.Tests.Support;

/// <summary>
/// A real SMTP server for the e-mail tests: smtp4dev (contracts/notifications.md §9), run from .tools/ on free ports,
/// in memory, on 127.0.0.1 only, and read back through its HTTP API. `./fees test` installs it.
/// </summary>
public sealed class Smtp4dev : IAsyncDisposable
{
    public const string Version = "3.15.0";
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly string _dataDir;

    private Smtp4dev(Process process, string dataDir, int smtpPort, int httpPort)
    {
        (_process, _dataDir, SmtpPort) = (process, dataDir, smtpPort);
        Api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public int SmtpPort { get; }
    public HttpClient Api { get; }

    /// <summary>The tool under the repository's .tools/, or a failure that says how to get it (never a skip).</summary>
    public static string Tool(string? root = null)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TdmEdu.Fees.sln"))) dir = dir.Parent;
        root ??= dir?.FullName ?? throw new InvalidOperationException("TdmEdu.Fees.sln was not found above the test's directory.");
        var tool = Path.Combine(root, ".tools", "smtp4dev");
        return File.Exists(tool) ? tool : throw new InvalidOperationException(
            $"smtp4dev is not installed at {tool}: run `dotnet tool install --tool-path .tools Rnwood.Smtp4dev --version {Version}` "
            + "at the repository root (./fees test does it for you).");
    }

    /// <summary>
    /// Starts one server; <paramref name="settings"/> are smtp4dev's ServerOptions (e.g. validation expressions). A port
    /// found free can be taken by another test's process before smtp4dev binds it: that start is retried on new ports,
    /// at most three times.
    /// </summary>
    public static async Task<Smtp4dev> StartAsync(IReadOnlyDictionary<string, string>? settings = null, params string[] options)
    {
        for (var attempt = 1; ; attempt++)
        {
            var server = StartOnce(settings, options);
            try
            {
                await server.WaitReadyAsync();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3 && server.Tail().Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    private static Smtp4dev StartOnce(IReadOnlyDictionary<string, string>? settings, string[] options)
    {
        var (smtpPort, httpPort) = (Samples.FreePort(), Samples.FreePort());
        var dataDir = Directory.CreateTempSubdirectory("smtp4dev-").FullName;
        var info = new ProcessStartInfo(Tool())
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[]
                 {
                     $"--smtpport={smtpPort}", $"--urls=http://127.0.0.1:{httpPort}", "--db=", "--imapport=0", "--pop3port=0",
                     "--bindaddress=127.0.0.1", "--disableipv6", "--nousersettings", $"--baseappdatapath={dataDir}",
                 }.Concat(options))
            info.ArgumentList.Add(a);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) info.Environment["ServerOptions__" + key] = value;

        var server = new Smtp4dev(Process.Start(info)!, dataDir, smtpPort, httpPort);
        server._process.OutputDataReceived += (_, e) => server.Log(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Log(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        return server;
    }

    private void Log(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    /// <summary>Polls the HTTP API (it answers once SMTP is listening too) within a bound; a server that died says why.</summary>
    private async Task WaitReadyAsync()
    {
        var until = DateTime.UtcNow + StartBound;
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited) throw new InvalidOperationException($"smtp4dev exited with {_process.ExitCode} while starting:\n{Tail()}");
            try
            {
                using var r = await Api.GetAsync("/api/messages");
                if (r.IsSuccessStatusCode && Tail().Contains("SMTP Server is listening", StringComparison.Ordinal)) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"smtp4dev did not answer within {StartBound.TotalSeconds} s:\n{Tail()}");
    }

    private string Tail()
    {
        lock (_log) return _log.Length > 4000 ? _log.ToString()[^4000..] : _log.ToString();
    }

    /// <summary>The messages received, newest first: id, to and subject.</summary>
    public async Task<List<JsonElement>> MessagesAsync()
    {
        var page = await Api.GetFromJsonAsync<JsonElement>("/api/messages?pageSize=500");
        return [.. page.GetProperty("results").EnumerateArray()];
    }

    /// <summary>The one message sent to <paramref name="to"/>: raw MIME, smtp4dev's plain text, and whether it came over TLS.</summary>
    public async Task<(string Raw, string Plain, bool Secure)> ReadAsync(string to)
    {
        var found = (await MessagesAsync()).Single(m => m.GetProperty("to").EnumerateArray().Any(t => t.GetString() == to));
        var id = found.GetProperty("id").GetString();
        var detail = await Api.GetFromJsonAsync<JsonElement>($"/api/messages/{id}");
        return (await Api.GetStringAsync($"/api/messages/{id}/raw"), await Api.GetStringAsync($"/api/messages/{id}/plaintext"),
            detail.GetProperty("secureConnection").GetBoolean());
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        finally
        {
            _process.Dispose();
            Api.Dispose();
            Directory.Delete(_dataDir, recursive: true);
        }
    }
}
