using System.Diagnostics;
using System.Net;

/// <summary>nginx from Debian's package in front of the nodes, round robin (as docs/operations.md describes).</summary>
internal sealed class PeakProxy : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private PeakProxy(Process process, string folder, Uri address) => (_process, _folder, Address) = (process, folder, address);

    public Uri Address { get; }

    public static async Task<PeakProxy> StartAsync(List<Uri> nodes)
    {
        var folder = Directory.CreateTempSubdirectory("fees-peak-nginx-").FullName;
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(folder, (UnixFileMode)0x1FF);
        var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        var servers = string.Concat(nodes.Select(u => $"server {u.Host}:{u.Port}; "));
        await File.WriteAllTextAsync(Path.Combine(folder, "nginx.conf"),
            $"daemon off; worker_processes 1; pid {folder}/nginx.pid; error_log {folder}/error.log warn; events {{ worker_connections 4096; }} " +
            $"http {{ access_log off; client_body_temp_path {folder}/b; proxy_temp_path {folder}/p; fastcgi_temp_path {folder}/f; uwsgi_temp_path {folder}/u; scgi_temp_path {folder}/s; " +
            $"upstream fees {{ {servers} keepalive 64; }} server {{ listen 127.0.0.1:{port}; location / {{ proxy_pass http://fees; proxy_http_version 1.1; " +
            "proxy_set_header Connection \"\"; proxy_set_header Host $host; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; } } }");
        var p = Process.Start(new ProcessStartInfo("/usr/sbin/nginx", ["-p", folder, "-c", Path.Combine(folder, "nginx.conf")]))!;
        var proxy = new PeakProxy(p, folder, new Uri($"http://127.0.0.1:{port}/"));
        using var client = new HttpClient { BaseAddress = proxy.Address };
        for (var i = 0; i < 200; i++)
        {
            try
            {
                if ((await client.GetAsync("/health")).IsSuccessStatusCode) return proxy;
            }
            catch (HttpRequestException)
            {
            }
            // nginx announces nothing when it is ready; a harness that runs for minutes can afford to ask
            // every 50 ms for the few it takes to start (the tests wait for its pid file instead).
            await Task.Delay(50);
        }
        throw new TimeoutException("nginx did not answer.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(true);
        await _process.WaitForExitAsync();
        Directory.Delete(_folder, true);
    }
}
