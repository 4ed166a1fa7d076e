using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using TdmEdu.Fees.Api.Cli.Toolkit;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.BankAdapters.Banks;
using TdmEdu.Fees.BankAdapters.VietQr;

namespace TdmEdu.Fees.Api.Cli.Commands;

/// <summary>qr: VietQR payloads made and read (contracts/vietqr.md); no database.</summary>
public static class QrCommands
{
    public static Command Build(Terminal t) => new("qr", "VietQR payloads, made and read; no database") { Encode(t), Decode(t) };

    private static Command Encode(Terminal t)
    {
        var bank = Opt.Required("--bank", "BIN|CODE", "a 6-digit BIN or a short code of the BIN table (BIDV, VCB, MSB, ...)");
        var account = Opt.Required("--account", "NO");
        // Amount and purpose are refused as bad input (exit 2), not as usage: they stay text and are read below.
        var amount = Opt.Text("--amount", "N", "whole đồng; with an amount the QR is dynamic (12), else static (11)");
        var purpose = Opt.Text("--purpose", "TEXT", "folded to ASCII; at most 25 characters");
        var png = Opt.Text("--png", "FILE", "also write the QR image");
        var command = new Command("encode", "print a VietQR payload") { bank, account, amount, purpose, png };
        return Terminal.Does(command, async (parsed, ct) =>
        {
            var payload = Payload(parsed.GetValue(bank)!, parsed.GetValue(account)!, parsed.GetValue(amount), parsed.GetValue(purpose));
            var encoded = payload.Encode();
            if (parsed.GetValue(png) is { } pngOut) await File.WriteAllBytesAsync(pngOut, VietQrImage.Png(encoded), ct);
            await t.Out.WriteLineAsync(encoded);
            return ExitCode.Ok;
        });
    }

    private static VietQrPayload Payload(string bankText, string account, string? amountText, string? purposeText)
    {
        var bank = BankDirectory.ByBinOrCode(bankText)
            ?? (bankText.Length == 6 && bankText.All(char.IsAsciiDigit) ? new BankInfo(bankText, bankText, bankText) : null)
            ?? throw new BadInputException("--bank", null, null, $"\"{bankText}\" is neither a 6-digit BIN nor a bank code of the BIN table (BIDV, VCB, MSB, ICB, VBA, TCB, MB, ACB, VPB, TPB, STB).");
        long? amount = null;
        if (amountText is not null)
        {
            amount = Files.Values.ParseAmount(amountText, out var why) ?? throw new BadInputException("--amount", null, null, why!);
            if (amount > VietQrPayload.MaxAmountVnd) throw new BadInputException("--amount", null, null, "a VietQR transfer is below 500,000,000 đồng.");
        }
        var purpose = purposeText is null ? null : VietQrPayload.FoldPurpose(purposeText);
        if (purpose is { Length: > VietQrPayload.MaxPurposeLength })
            throw new BadInputException("--purpose", null, null, $"\"{purpose}\" is {purpose.Length} characters; a VietQR purpose holds at most 25.");
        var payload = new VietQrPayload(amount is null ? QrInitiation.Static : QrInitiation.Dynamic, bank.Bin, account,
            VietQrPayload.ToAccount, amount, string.IsNullOrEmpty(purpose) ? null : purpose, null);
        var problems = payload.Validate();
        return problems.Count == 0 ? payload : throw new BadInputException("qr encode", null, null, string.Join(" ", problems));
    }

    private static Command Decode(Terminal t)
    {
        var text = Opt.OptionalWord("PAYLOAD", "the payload as text");
        var png = Opt.Text("--png", "FILE", "read the payload from a QR image instead");
        var command = new Command("decode", "print a VietQR payload's fields as JSON (contracts/vietqr.md); give the payload or --png FILE") { text, png };
        return Terminal.Does(command, async (parsed, _) =>
        {
            var payload = await ReadAsync(parsed.GetValue(text), parsed.GetValue(png));
            VietQrPayload p;
            try
            {
                p = VietQrDecoder.Decode(payload);
            }
            catch (VietQrFormatException e)
            {
                throw new BadInputException("payload", null, null, e.Message);
            }
            var json = new JsonObject
            {
                ["initiation"] = p.Initiation == QrInitiation.Static ? "static" : "dynamic",
                ["bank_bin"] = p.BankBin,
                ["account"] = p.Account,
                ["service"] = p.Service,
                ["amount"] = p.AmountVnd,
                ["currency"] = "704",
                ["country"] = "VN",
                ["purpose"] = p.Purpose,
                ["bill_number"] = p.BillNumber,
                ["crc"] = payload.Trim()[^4..].ToUpperInvariant(),
            };
            await t.Out.WriteLineAsync(json.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            return ExitCode.Ok;
        });
    }

    private static async Task<string> ReadAsync(string? text, string? png)
    {
        if (png is null) return text ?? throw new UsageException("give the payload, or --png FILE.");
        if (text is not null) throw new UsageException($"unexpected word \"{text}\".");
        if (!File.Exists(png)) throw new BadInputException(Path.GetFileName(png), null, null, "the file does not exist.");
        return QrImageReader.Read(await File.ReadAllBytesAsync(png))
            ?? throw new BadInputException(Path.GetFileName(png), null, null, "no QR code could be read from the image.");
    }
}
