using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TdmEdu.Fees.Api.Common;

/// <summary>
/// The service's own instruments (OpenTelemetry, exported for Prometheus on <c>/metrics</c>): counters written where the
/// work happens, and gauges read from the last <c>Hosting/Vitals/VitalSigns</c> sample of the database. One meter per process:
/// production runs one host per process (the tests that read metrics run the service as its own process).
/// </summary>
public static class FeesTelemetry
{
    public const string Name = "TdmEdu.Fees";

    public static readonly Meter Meter = new(Name);

    /// <summary>The worker's spans: a stretch of bank calls applied, linked to the requests that stored them.</summary>
    public static readonly ActivitySource Source = new(Name);

    public static readonly Counter<long> CallsAcknowledged = Meter.CreateCounter<long>("fees.bank.calls.acknowledged", "{call}",
        "Bank calls stored and answered (new calls only; a repeat is answered with the first answer and not counted).");

    public static readonly Counter<long> CallsApplied = Meter.CreateCounter<long>("fees.bank.calls.applied", "{call}",
        "Bank calls applied by the worker, by bank and outcome (applied, unidentified, held, failed, reversed, ...).");

    public static readonly Counter<long> ReconcileLines = Meter.CreateCounter<long>("fees.reconcile.lines", "{line}",
        "Statement lines decided by reconciliation, by outcome.");

    /// <summary>Times the database the service writes to changed under it: a failover, or the primary restarted.</summary>
    public static readonly Counter<long> PrimaryChanges = Meter.CreateCounter<long>("fees.database.primary.changes", "{change}",
        "Times the database primary this node writes to was seen to change (a failover) or restart.");

    public static void Acknowledged(string bank) => CallsAcknowledged.Add(1, new KeyValuePair<string, object?>("bank", bank));

    public static void Applied(string bank, string? outcome, int count) =>
        CallsApplied.Add(count, new KeyValuePair<string, object?>("bank", bank), new KeyValuePair<string, object?>("outcome", outcome ?? "none"));

    public static void Reconciled(string outcome, int count) => ReconcileLines.Add(count, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>The W3C trace context of the current request, to keep with a stored bank call (null outside a trace).</summary>
    public static string? TraceParent() => Activity.Current is { IdFormat: ActivityIdFormat.W3C } a ? a.Id : null;

    /// <summary>The context a stored call's trace parent names, or null when there is none or it does not parse.</summary>
    public static ActivityContext? ContextOf(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var c) ? c : null;
}
