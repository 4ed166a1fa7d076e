namespace TdmEdu.Fees.Api.Persistence;

/// <summary>Quartz's PostgreSQL schema from the resource the Quartz assembly embeds, split into statements.</summary>
public static class QuartzSchema
{
    public const string TablePrefix = "qrtz_";

    public static IEnumerable<string> Statements()
    {
        using var stream = typeof(Quartz.IJob).Assembly.GetManifestResourceStream("Quartz.Impl.AdoJobStore.Schema.create_postgres.sql")
            ?? throw new InvalidOperationException("The Quartz package no longer embeds its PostgreSQL schema; see docs/decisions/0009.");
        using var reader = new StreamReader(stream);
        var sql = reader.ReadToEnd().Replace("{0}", TablePrefix, StringComparison.Ordinal).Replace("{1}", TablePrefix, StringComparison.Ordinal);
        // Statements are separated by lines that read exactly "--;;"; comment lines are dropped.
        var current = new List<string>();
        foreach (var line in sql.Split('\n').Append("--;;"))
        {
            if (line.Trim() == "--;;")
            {
                var code = string.Join('\n', current).Trim();
                if (code.Length > 0) yield return code;
                current.Clear();
            }
            else if (!line.TrimStart().StartsWith("--", StringComparison.Ordinal)) current.Add(line);
        }
        yield return $"""
            INSERT INTO {TablePrefix}locks (sched_name, lock_name) VALUES
              ('{TdmEdu.Fees.Reconciliation.Jobs.FeeJobs.SchedulerName}', 'TRIGGER_ACCESS'), ('{TdmEdu.Fees.Reconciliation.Jobs.FeeJobs.SchedulerName}', 'STATE_ACCESS')
            ON CONFLICT DO NOTHING
            """;
    }
}
