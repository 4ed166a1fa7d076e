using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace TdmEdu.Fees.Api.Persistence;

/// <summary>
/// Writes many new rows of one entity with PostgreSQL's binary COPY, on the context's connection and inside
/// its open transaction. Columns, types and value conversions come from the EF model, so the table's shape
/// has one source of truth; columns the database fills (identity, xmin) are left to it.
/// </summary>
public static class BulkCopy
{
    /// <summary>Below this many rows EF's batched INSERT is as quick and keeps the rows tracked; from it on, COPY.</summary>
    public const int CopyFrom = 64;

    /// <summary>New rows of one entity, written now: a few through EF, many with COPY.</summary>
    public static async Task InsertAsync<T>(FeesDb db, IReadOnlyCollection<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return;
        if (rows.Count >= CopyFrom)
        {
            await WriteAsync(db, rows, ct);
            return;
        }
        db.Set<T>().AddRange(rows);
        await db.SaveChangesAsync(ct);
    }

    public static async Task WriteAsync<T>(FeesDb db, IReadOnlyCollection<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return;
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("BulkCopy writes inside a transaction, so that nothing is half-written.");
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties().Where(p => Written(p, table)).Select(p => new Column(
            p.GetColumnName(table)!,
            StoreType(p.GetColumnType(table)),
            p.GetGetter(),
            p.GetTypeMapping().Converter)).ToList();

        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var sql = $"COPY \"{table.Name}\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) FROM STDIN (FORMAT BINARY)";
        await using var importer = await conn.BeginBinaryImportAsync(sql, ct);
        // Values go into Npgsql's buffer synchronously (it flushes when full); the token is checked per row.
        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            importer.StartRow();
            foreach (var c in columns)
            {
                var value = c.Getter.GetClrValueUsingContainingEntity(row);
                if (value is not null && c.Converter is not null) value = c.Converter.ConvertToProvider(value);
                if (value is null) importer.WriteNull();
                else if (value is DateTimeOffset at) importer.Write(at.ToUniversalTime(), c.StoreType);
                else importer.Write(value, c.StoreType);
            }
        }
        await importer.CompleteAsync(ct);
    }

    private sealed record Column(string Name, string StoreType, IClrPropertyGetter Getter, Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? Converter);

    private static bool Written(IProperty p, StoreObjectIdentifier table) =>
        p.GetColumnName(table) is { } name && name != "xmin"
        && p.GetValueGenerationStrategy() is not (NpgsqlValueGenerationStrategy.IdentityAlwaysColumn
            or NpgsqlValueGenerationStrategy.IdentityByDefaultColumn or NpgsqlValueGenerationStrategy.SerialColumn);

    /// <summary>"character varying(20)" → "character varying": Npgsql wants the type's name without its modifier.</summary>
    private static string StoreType(string? columnType)
    {
        var t = columnType ?? throw new InvalidOperationException("A column without a store type cannot be copied.");
        var paren = t.IndexOf('(', StringComparison.Ordinal);
        return paren < 0 ? t : t[..paren].Trim();
    }
}
