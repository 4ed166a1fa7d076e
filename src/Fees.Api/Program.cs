using System.Text;
using TdmEdu.Fees.Api.Cli;

// One executable, two modes: `serve` runs the HTTP host (./fees up), anything else is a CLI command.
Console.OutputEncoding = Encoding.UTF8;
using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};
var code = await new CommandLine(Console.Out, Console.Error, TimeProvider.System).RunAsync(args, cts.Token);
return code;

public partial class Program;
