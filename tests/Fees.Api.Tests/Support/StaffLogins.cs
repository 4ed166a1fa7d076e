using System.Net;
using System.Net.Http.Json;

namespace TdmEdu.Fees.Api.Tests.Support;

/// <summary>One login per staff role (TS01's accountant and principal, the education office's auditor, the administrator), and signing in as a client without a browser.</summary>
public static class StaffLogins
{
    public const string Accountant = "ketoan@ts01.vn", Principal = "hieutruong@ts01.vn", Auditor = "thanhtra@so.vn", Admin = "quantri@so.vn";

    public static readonly (string Email, string Role, string? School)[] All =
        [(Accountant, "accountant", "TS01"), (Principal, "principal", "TS01"), (Auditor, "auditor", null), (Admin, "admin", null)];

    /// <summary>Each login's person, named as a school would (a page in Vietnamese shows the name).</summary>
    private static readonly Dictionary<string, string> Names = new()
    {
        ["accountant"] = "Nguyễn Thị Kế", ["principal"] = "Trần Văn Hiệu", ["auditor"] = "Lê Thị Thanh", ["admin"] = "Phạm Văn Quản",
    };

    public static async Task AddAsync(Fees fees)
    {
        foreach (var (email, role, school) in All) await Browser.AddLoginAsync(fees, email, Names[role], role, school);
    }

    /// <summary>A client signed in by the API, following no redirect (a refused page answers with one to /khong-duoc-phep).</summary>
    public static async Task<HttpClient> ClientAsync(BankHost host, string email)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        var r = await client.PostAsJsonAsync("/api/auth/sign-in", new { email, password = Browser.Password });
        Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        return client;
    }

    /// <summary>Whether a page answered "not allowed": 403, or the redirect to the page that says so.</summary>
    public static bool Refused(HttpResponseMessage r) =>
        r.StatusCode == HttpStatusCode.Forbidden
        || r.StatusCode == HttpStatusCode.Found && r.Headers.Location!.ToString().Contains("/khong-duoc-phep", StringComparison.Ordinal);
}
