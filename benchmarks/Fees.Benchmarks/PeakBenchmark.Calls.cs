using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;
using TdmEdu.Fees.Api.Sandbox;

/// <summary>The peak's bank calls: how each is made (credits and reversals per bank or aggregator), sent with retries, and waited for until applied.</summary>
public static partial class PeakBenchmark
{
    /// <summary>The time every aggregator transfer of the peak is told to have happened (their bodies say it).</summary>
    private static readonly DateTimeOffset Transfer = new(2025, 9, 10, 9, 30, 0, TimeSpan.FromHours(7));

    private static Call Credit((string NoticeNo, string Code, long Balance, string Bank, string Account, string School, DateOnly Dob) n, int i,
        SandboxCredentials c, ConcurrentDictionary<string, string> tokens) => c.Aggregator is { } via
        // A retry is the same body, time of the transfer included; only Casso's signing time is taken as it is sent.
        ? new Call(via.Via, () => AggregatorCalls.Credit(c, 900_000_000L + i, $"PK{i}", n.Balance, $"{n.Code} hoc phi", Transfer, DateTimeOffset.UtcNow), $"{via.Via}-{i}")
        : n.Bank switch
    {
        "VCB" => new Call("VCB", () => PeakCalls.Vcb(c, $"PK{i}", n.Balance, $"MBVCB.{i}.{n.Code} hoc phi", "C", null), $"VCB-{i}"),
        "MSB" => new Call("MSB", () => PeakCalls.Msb(c, $"PK{i}", n.Balance, c.Msb!.VaPrefix + n.Code[^8..], "C", null), $"MSB-{i}"),
        _ => new Call("BIDV", () => PeakCalls.Bidv(c, tokens[c.Bidv!.Username], $"PK{i}", n.Code, n.NoticeNo, n.Balance), $"BIDV-{i}"),
    };

    private static Call Reversal((string NoticeNo, string Code, long Balance, string Bank, string Account, string School, DateOnly Dob) n, int i, SandboxCredentials c) =>
        n.Bank == "VCB"
            ? new Call("VCB", () => PeakCalls.Vcb(c, $"RV{i}", n.Balance, "hoan tien", "D", $"PK{i}"), $"VCB-R{i}")
            : new Call("MSB", () => PeakCalls.Msb(c, $"RV{i}", n.Balance, c.Msb!.VaPrefix + n.Code[^8..], "D", $"PK{i}"), $"MSB-R{i}");

    private static async Task<List<(string Bank, double Ms, int Status)>> SendAllAsync(HttpClient http, List<Call> calls, int concurrency, Drill? drill)
    {
        var results = new ConcurrentBag<(string, double, int)>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < calls.Count)
            {
                var call = calls[i];
                for (var attempt = 1; ; attempt++)
                {
                    using var request = call.Make();
                    var sw = Stopwatch.StartNew();
                    var began = drill?.Now ?? 0;
                    int status;
                    try
                    {
                        using var response = await http.SendAsync(request);
                        await response.Content.ReadAsByteArrayAsync();
                        status = (int)response.StatusCode;
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        status = 0;
                    }
                    if (drill is null)
                    {
                        results.Add((call.Bank, sw.Elapsed.TotalMilliseconds, status));
                        break;
                    }
                    await drill.HeardAsync(began, status);
                    if (status == 200)
                    {
                        results.Add((call.Bank, sw.Elapsed.TotalMilliseconds, status));
                        break;
                    }
                    // A bank sends a call it got no acknowledgement for again, after a pause that grows a little.
                    if (attempt >= 200) throw new InvalidOperationException($"{call.Key} was never acknowledged (last answer {status})");
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 100 * attempt)));
                }
            }
        }));
        return results.ToList();
    }

    /// <summary>How often the harness asks whether every stored call has been applied.</summary>
    private static readonly TimeSpan SamplePause = TimeSpan.FromMilliseconds(200);

    private static async Task WaitAppliedAsync(string cs)
    {
        while (true)
        {
            await using (var conn = new NpgsqlConnection(cs))
            {
                await conn.OpenAsync();
                await using var cmd = new NpgsqlCommand("SELECT count(*) FROM bank_inbox WHERE processed_at IS NULL", conn);
                if ((long)(await cmd.ExecuteScalarAsync())! == 0) return;
            }
            // Not a test's sleep but the harness's sampling rate. The condition is a state of the database ("no stored
            // call waits"), reached by the worker loops of several service nodes that announce nothing when their
            // account runs dry (and must not be made to, for a benchmark); PostgreSQL is asked again every SamplePause. That adds at most
            // 0.2 s to "last call applied after the last acknowledgement" (measured 4.8–9.6 s, target 20 s) and asks
            // five times a second rather than keeping one of the two cores busy asking.
            await Task.Delay(SamplePause);
        }
    }
}
