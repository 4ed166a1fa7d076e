using TdmEdu.Fees.Api.Common;

namespace TdmEdu.Fees.Api.Application.Statements;

/// <summary>
/// One statement read on the page at a time per instance (a preview or an import: a parse, a reconciliation and a
/// transaction over up to 100,000 lines, seconds of a core). Another waits a few seconds for its turn, then is told
/// to try again, in the page's language, instead of queueing until every connection and core is taken and the
/// school's other pages answer 503. A singleton of the web host; the command line does not need it.
/// </summary>
public sealed class StatementGate
{
    /// <summary>How long a second upload waits for the first before it is told to try again.</summary>
    public TimeSpan Wait { get; init; } = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _one = new(1, 1);

    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        if (!await _one.WaitAsync(Wait, ct))
            throw new BusinessRuleException("Another statement is being read on the server right now; nothing was read or imported. Try again in a minute.",
                "Máy chủ đang đọc một sao kê khác; chưa đọc hay nhập gì. Hãy thử lại sau một phút.");
        return new Turn(_one);
    }

    private sealed class Turn(SemaphoreSlim one) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) one.Release();
        }
    }
}
