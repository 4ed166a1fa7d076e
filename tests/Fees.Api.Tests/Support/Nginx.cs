using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

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
        var port = FreePort();
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
        var process = Process.Start(new ProcessStartInfo(binary, ["-p", folder, "-c", Path.Combine(folder, "nginx.conf")])
        {
            RedirectStandardError = true, RedirectStandardOutput = true,
        })!;
        var nginx = new Nginx(process, folder, new Uri($"http://127.0.0.1:{port}/"));
        // Ready when it answers through to an instance.
        using var client = new HttpClient { BaseAddress = nginx.Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"nginx stopped: {await process.StandardError.ReadToEndAsync()} {File.ReadAllText(Path.Combine(folder, "error.log"))}");
            try
            {
                if ((await client.GetAsync("/health")).IsSuccessStatusCode) return nginx;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("nginx did not answer within 30 s.");
            await Task.Delay(25); // pacing between checks of the condition, not a wait for it
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
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
