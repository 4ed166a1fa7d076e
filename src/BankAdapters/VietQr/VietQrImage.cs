using QRCoder;

namespace TdmEdu.Fees.BankAdapters.VietQr;

/// <summary>Renders a payload as a QR image. Only the managed renderers: the System.Drawing ones fail on Linux.</summary>
public static class VietQrImage
{
    // Error correction M, as bank apps print it: readable with a crease or a smudge, still small.
    private static QRCodeData Data(string payload)
    {
        using var generator = new QRCodeGenerator();
        return generator.CreateQrCode(payload, QRCodeGenerator.ECCLevel.M);
    }

    public static byte[] Png(string payload, int pixelsPerModule = 8)
    {
        using var data = Data(payload);
        return new PngByteQRCode(data).GetGraphic(pixelsPerModule);
    }

    public static string Svg(string payload, int pixelsPerModule = 8)
    {
        using var data = Data(payload);
        return new SvgQRCode(data).GetGraphic(pixelsPerModule);
    }
}
