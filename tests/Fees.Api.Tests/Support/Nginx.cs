using System.Diagnostics;

namespace TdmEdu.Fees.Api.Tests.Support;

/// <summary>
/// nginx from Debian's package (./fees test installs it) in front of several instances on loopback, round robin,
/// as production runs it; its own prefix folder, stopped and removed when disposed.
/// </summary>
public sealed class Nginx : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private Nginx(Process process, string folder, Uri address)
    {
        _process = process;
        _folder = folder;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<Nginx> StartAsync(params Uri[] upstreams)
    {
        const string binary = "/usr/sbin/nginx";
        if (!File.Exists(binary)) throw new InvalidOperationException("nginx is missing: run the tests with ./fees test, which installs it from Debian packages.");
        var folder = Directory.CreateTempSubdirectory("fees-nginx-").FullName;
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(folder, (UnixFileMode)0x1FF); // workers may run as another user
        var port = PostgresServer.FreePort();
        var servers = string.Concat(upstreams.Select(u => $"    server {u.Host}:{u.Port};\n"));
        await File.WriteAllTextAsync(Path.Combine(folder, "nginx.conf"), $$"""
            daemon off;
            worker_processes 1;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 1024; }
            http {
              access_log off;
              client_body_temp_path {{folder}}/body;
              proxy_temp_path {{folder}}/proxy;
              fastcgi_temp_path {{folder}}/fastcgi;
              uwsgi_temp_path {{folder}}/uwsgi;
              scgi_temp_path {{folder}}/scgi;
              upstream fees {
            {{servers}}    keepalive 16;
              }
              server {
                listen 127.0.0.1:{{port}};
                client_max_body_size 20m;
                location / {
                  proxy_pass http://fees;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                  proxy_set_header Host $host;
                  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                  proxy_set_header X-Forwarded-Proto $scheme;
                }
              }
            }
            """);
        // nginx writes its pid file after it has opened and bound its listening socket: that file appearing is
        // the condition "ready to take connections" (they queue until a worker accepts them).
        var pidFile = Path.Combine(folder, "nginx.pid");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = new FileSystemWatcher(folder, "nginx.pid") { EnableRaisingEvents = true };
        watcher.Created += (_, _) => ready.TrySetResult();
        var process = new Process
        {
            StartInfo = new ProcessStartInfo(binary, ["-p", folder, "-c", Path.Combine(folder, "nginx.conf")]) { RedirectStandardError = true, RedirectStandardOutput = true },
            EnableRaisingEvents = true,
        };
        var errorLog = Path.Combine(folder, "error.log");
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"nginx stopped: {(File.Exists(errorLog) ? File.ReadAllText(errorLog) : "")}"));
        process.Start();
        if (File.Exists(pidFile)) ready.TrySetResult();
        var nginx = new Nginx(process, folder, new Uri($"http://127.0.0.1:{port}/"));
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using var client = new HttpClient { BaseAddress = nginx.Address, Timeout = TimeSpan.FromSeconds(10) };
        Assert.True((await client.GetAsync("/health")).IsSuccessStatusCode, "nginx does not reach the instances");
        return nginx;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_folder, true);
    }
}
