using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Files;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>
/// A file uploaded on a school's page, imported all or nothing: a CSV or XLSX within its limits, refused by its size
/// before a byte is read, kept under its own name (the report names it) in a folder of its own removed after, and
/// read and stored within the time given; a client that leaves stops the reading and the storing.
/// </summary>
public static class Uploads
{
    public static async Task<(T? Result, List<InputProblem> Problems)> ImportAsync<T>(IFormFile? upload, FileLimits limits, TimeSpan time,
        Func<string, CancellationToken, Task<T>> import, CancellationToken ct) where T : class
    {
        var extension = Path.GetExtension(upload?.FileName ?? "").ToLowerInvariant();
        if (upload is null || upload.Length == 0 || extension is not (".csv" or ".xlsx"))
            return (null, [new InputProblem(upload?.FileName ?? "", null, null, $"Choose a CSV or XLSX file of at most {FileLimits.Mb(limits.MaxBytes, false)}.",
                $"Hãy chọn một tệp CSV hoặc XLSX tối đa {FileLimits.Mb(limits.MaxBytes, true)}.")]);
        var name = Path.GetFileName(upload.FileName);
        if (upload.Length > limits.MaxBytesFor(name)) return (null, [.. limits.TooLarge(name, upload.Length, limits.MaxBytesFor(name)).Problems]);
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(time);
        var folder = Directory.CreateTempSubdirectory("fees-upload-");
        try
        {
            var path = Path.Combine(folder.FullName, name);
            await using (var f = File.Create(path)) await upload.CopyToAsync(f, timer.Token);
            return (await import(path, timer.Token), []);
        }
        catch (BadInputException e)
        {
            return (null, [.. e.Problems]);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Out of time: the transaction was rolled back with the cancelled command.
            return (null, [.. limits.TookTooLong(name, time, storing: true).Problems]);
        }
        finally
        {
            folder.Delete(true);
        }
    }
}
