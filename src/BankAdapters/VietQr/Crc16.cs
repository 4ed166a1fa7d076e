namespace TdmEdu.Fees.BankAdapters.VietQr;

/// <summary>CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final xor ("123456789" → 29B1).</summary>
public static class Crc16
{
    public static ushort Compute(ReadOnlySpan<byte> data)
    {
        // Bits are meant to fall off the top here: this is not money, so the project's overflow check is off.
        unchecked
        {
            ushort crc = 0xFFFF;
            foreach (var b in data)
            {
                crc ^= (ushort)(b << 8);
                for (var i = 0; i < 8; i++)
                    crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
            }
            return crc;
        }
    }

    public static string Hex(string text) =>
        Compute(System.Text.Encoding.ASCII.GetBytes(text)).ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
}
