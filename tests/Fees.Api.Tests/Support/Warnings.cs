namespace TdmEdu.Fees.Api.Tests.Support;

/// <summary>A second copy of a test host's log that keeps the warnings and errors, for tests that the operator's log stays quiet.</summary>
public sealed class Warnings : Serilog.Core.ILogEventSink
{
    public readonly System.Collections.Concurrent.ConcurrentQueue<string> Seen = new();

    public void Emit(Serilog.Events.LogEvent logEvent)
    {
        if (logEvent.Level >= Serilog.Events.LogEventLevel.Warning) Seen.Enqueue(logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture));
    }
}
