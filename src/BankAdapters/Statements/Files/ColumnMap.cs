using System.Text.Json;
using System.Text.Json.Serialization;

namespace TdmEdu.Fees.BankAdapters.Statements.Files;

/// <summary>
/// A column of a statement export, by what its header says (folded: no marks, lower case) and which of the columns
/// saying it this is (0 for the first): an export that moves or adds columns is still read right, and two columns
/// both called "Số tiền" stay apart.
/// </summary>
public sealed record HeaderRef(string Header, int Occurrence);

/// <summary>
/// How an accountant said an export the service does not know is read, kept per bank account: which column holds the
/// date, the amount, the direction, the description and the reference. The direction is told one of three ways:
/// <see cref="ColumnMaps.BySign"/> (a minus is money out), <see cref="ColumnMaps.ByColumn"/> (a column saying C/D,
/// Có/Nợ, Credit/Debit, +/-), or <see cref="ColumnMaps.BySplit"/> (money in and money out in two amount columns: the
/// amount column is money in, <see cref="Debit"/> money out). Dates are day first unless <see cref="MonthFirst"/>.
/// An export of several accounts names each line's account in <see cref="AccountColumn"/>; the importer refuses the
/// lines of any account but the chosen one.
/// </summary>
public sealed record ColumnMap(
    HeaderRef Date,
    HeaderRef Amount,
    string Direction,
    HeaderRef? DirectionColumn,
    HeaderRef? Debit,
    HeaderRef Description,
    HeaderRef? Reference,
    bool MonthFirst = false,
    HeaderRef? AccountColumn = null)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The map as stored (JSON, snake_case).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>A stored map, or null when the text is not one that <see cref="ColumnMaps.Check"/> accepts.</summary>
    public static ColumnMap? FromJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            var map = JsonSerializer.Deserialize<ColumnMap>(json, Json);
            return map is not null && ColumnMaps.Check(map) is null ? map : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
