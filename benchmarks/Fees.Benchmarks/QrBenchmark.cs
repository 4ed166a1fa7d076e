using System.Diagnostics;
using System.Globalization;
using QRCoder;
using TdmEdu.Fees.BankAdapters.VietQr;

/// <summary>Notice QR codes to PNG through our path (payload built, then rendered) beside QRCoder alone on the same payloads.</summary>
public static class QrBenchmark
{
    public static void Run(int runs, int count)
    {
        var rng = new Random(1);
        var notices = Enumerable.Range(0, count).Select(i => (Account: $"0281{rng.Next(100_000_000, 999_999_999)}",
            Amount: (long)rng.Next(100_000, 5_000_000), Purpose: $"HS{rng.Next(10_000_000, 99_999_999)} 202509")).ToList();
        var payloads = notices.Select(n => VietQrPayload.ForPayment("970436", n.Account, n.Amount, n.Purpose).Encode()).ToList();

        var ours = new List<double>();
        var bare = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            var sw = Stopwatch.StartNew();
            long bytes = 0;
            foreach (var n in notices)
                bytes += VietQrImage.Png(VietQrPayload.ForPayment("970436", n.Account, n.Amount, n.Purpose).Encode()).Length;
            var oursRate = count / sw.Elapsed.TotalSeconds;

            sw.Restart();
            foreach (var p in payloads)
            {
                using var gen = new QRCodeGenerator();
                using var data = gen.CreateQrCode(p, QRCodeGenerator.ECCLevel.M);
                bytes += new PngByteQRCode(data).GetGraphic(8).Length;
            }
            var bareRate = count / sw.Elapsed.TotalSeconds;
            if (run == 0 || bytes == 0) continue; // warm-up
            ours.Add(oursRate);
            bare.Add(bareRate);
            Console.Error.WriteLine($"run {run}: ours {oursRate:0} PNG/s, QRCoder alone {bareRate:0} PNG/s, ratio {oursRate / bareRate:0.00}");
        }
        double Median(List<double> xs) { var o = xs.OrderBy(x => x).ToList(); return o.Count % 2 == 1 ? o[o.Count / 2] : (o[o.Count / 2 - 1] + o[o.Count / 2]) / 2; }
        var ratios = ours.Zip(bare, (a, b) => a / b).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| notice QR to PNG, {count} payloads, 8 px/module, ECC M | {Median(ours):0} PNG/s | {Median(bare):0} PNG/s | {Median(ratios):0.00}× | {runs} |"));
    }
}
