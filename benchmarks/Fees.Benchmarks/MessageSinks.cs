using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TdmEdu.Fees.NotifyAdapters;

/// <summary>
/// What the messages benchmark sends into besides notify-sim: a listener that answers the sandbox's delivery
/// callbacks with 200 and does nothing else (the service's own callback handling is not what is measured), and an
/// SMTP server that takes every message and keeps none (notify-sim plays no e-mail provider).
/// </summary>
public sealed class MessageSinks : IAsyncDisposable
{
    private readonly WebApplication _callbacks;
    private readonly TcpListener _smtp;
    private readonly CancellationTokenSource _stop = new();
    private int _callbackCount, _mailCount;
    private long _firstMailTicks;

    private MessageSinks(WebApplication callbacks, TcpListener smtp) => (_callbacks, _smtp) = (callbacks, smtp);

    public Uri CallbackBase { get; private set; } = null!;
    public int SmtpPort => ((IPEndPoint)_smtp.LocalEndpoint).Port;
    public int Callbacks => _callbackCount;
    public int Mails => _mailCount;

    /// <summary>When the first message of this round of counting was taken whole (after its final "."), or null.</summary>
    public DateTimeOffset? FirstMail => Interlocked.Read(ref _firstMailTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    public void Reset()
    {
        Interlocked.Exchange(ref _callbackCount, 0);
        Interlocked.Exchange(ref _mailCount, 0);
        Interlocked.Exchange(ref _firstMailTicks, 0);
    }

    public static async Task<MessageSinks> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var smtp = new TcpListener(IPAddress.Loopback, 0);
        var sinks = new MessageSinks(app, smtp);
        app.Run(context =>
        {
            Interlocked.Increment(ref sinks._callbackCount);
            context.Response.StatusCode = 200;
            return Task.CompletedTask;
        });
        await app.StartAsync();
        sinks.CallbackBase = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        smtp.Start();
        _ = sinks.AcceptAsync();
        return sinks;
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _smtp.AcceptTcpClientAsync(_stop.Token);
                _ = ServeAsync(client);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>The smallest SMTP dialogue MailKit completes without extensions: greeting, EHLO, MAIL, RCPT, DATA, QUIT.</summary>
    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
            await using var writer = new StreamWriter(stream, System.Text.Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 sink ESMTP");
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                if (verb == "QUIT")
                {
                    await writer.WriteLineAsync("221 bye");
                    return;
                }
                if (verb != "DATA")
                {
                    await writer.WriteLineAsync("250 ok");
                    continue;
                }
                await writer.WriteLineAsync("354 go on");
                while (await reader.ReadLineAsync(_stop.Token) is { } body && body != ".") { }
                Interlocked.CompareExchange(ref _firstMailTicks, DateTimeOffset.UtcNow.UtcTicks, 0);
                Interlocked.Increment(ref _mailCount);
                await writer.WriteLineAsync("250 queued");
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went, or the sink is stopping.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _smtp.Stop();
        await _callbacks.StopAsync();
        await _callbacks.DisposeAsync();
        _stop.Dispose();
    }
}

/// <summary>A provider that answers at once, to time the sender's own work (database, links, values) without HTTP.</summary>
public sealed class InstantChannel(NotificationChannel channel) : INotificationChannel
{
    public NotificationChannel Channel => channel;

    public ValueTask<SendOutcome> SendAsync(OutboundMessage message, CancellationToken ct) =>
        ValueTask.FromResult<SendOutcome>(new Accepted(Guid.NewGuid().ToString(), 1, null, null));
}

/// <summary>The wall clock moved to a chosen instant, and further by hand so that a retry comes due without waiting.</summary>
public sealed class MovedClock(DateTimeOffset start) : TimeProvider
{
    private readonly TimeSpan _shift = start - TimeProvider.System.GetUtcNow();

    public TimeSpan Ahead { get; set; }

    public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + _shift + Ahead;
}

/// <summary>A real channel with a stopwatch around it: how much of a sending run is spent inside the adapter and its provider.</summary>
public sealed class TimedChannel(INotificationChannel inner) : INotificationChannel
{
    private long _ticks;
    private int _calls;

    public NotificationChannel Channel => inner.Channel;
    public double Seconds => System.Diagnostics.Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks)).TotalSeconds;
    public int Calls => _calls;

    public async ValueTask<SendOutcome> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            return await inner.SendAsync(message, ct);
        }
        finally
        {
            Interlocked.Add(ref _ticks, System.Diagnostics.Stopwatch.GetTimestamp() - started);
            Interlocked.Increment(ref _calls);
        }
    }
}
