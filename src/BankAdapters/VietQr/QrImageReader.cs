using SkiaSharp;
using ZXing;
using ZXing.Common;

namespace TdmEdu.Fees.BankAdapters.VietQr;

/// <summary>Reads the text of a QR code from a PNG or JPEG image; null when there is none to read.</summary>
public static class QrImageReader
{
    public static string? Read(byte[] image)
    {
        using var bitmap = SKBitmap.Decode(image);
        if (bitmap is null) return null;
        using var bgra = bitmap.ColorType == SKColorType.Bgra8888 ? null : bitmap.Copy(SKColorType.Bgra8888);
        var pixels = bgra ?? bitmap;
        var source = new RGBLuminanceSource(pixels.Bytes, pixels.Width, pixels.Height, RGBLuminanceSource.BitmapFormat.BGRA32);
        var reader = new BarcodeReaderGeneric
        {
            // Codes printed by banks' own apps carry Vietnamese letters as UTF-8 bytes; ASCII reads the same either way.
            Options = new DecodingOptions { PossibleFormats = [BarcodeFormat.QR_CODE], TryHarder = true, CharacterSet = "UTF-8" },
        };
        return reader.Decode(source)?.Text;
    }
}
