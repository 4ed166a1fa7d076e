using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Http;

/// <summary>The open data: only months a school has closed, with the rows of the schools that closed them; an index; metadata; CORS.</summary>
public sealed class OpenDataTests
{
    private const string Root = "/du-lieu-mo/thu-hoc-phi";

    [Fact]
    public async Task OpenData_PublishesAMonthOnceASchoolClosesIt_WithTheSchoolsThatClosedIt()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        var http = new HttpClient { BaseAddress = host.BaseAddress };
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1371800");

        var before = await http.GetAsync($"{Root}/2025-09.json");
        var emptyIndex = await http.GetFromJsonAsync<JsonElement>($"{Root}/index.json");
        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        Assert.Contains("no school has closed it yet", await before.Content.ReadAsStringAsync());
        Assert.Equal(0, emptyIndex.GetProperty("months").GetArrayLength());

        await fees.OkAsync("notices", "close", "--period", "2025-09", "--school", "TS01");
        var json = await http.GetAsync($"{Root}/2025-09.json");
        var rows = await json.Content.ReadFromJsonAsync<JsonElement>();
        var csv = (await http.GetStringAsync($"{Root}/2025-09.csv")).TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var report = Path.Combine(fees.Folder, "r.csv");
        await fees.OkAsync("report", "collection", "--period", "2025-09", "--by", "school", "--out", report);
        var ts01 = File.ReadAllLines(report).Single(l => l.StartsWith("TS01,", StringComparison.Ordinal)).Split(',');

        // Only TS01 closed September: TS02's rows wait until it closes too.
        var row = Assert.Single(rows.EnumerateArray());
        Assert.Equal(("TS01", "2025-09", "Phú Cường", "TH"), (row.GetProperty("school").GetString(), row.GetProperty("period").GetString(),
            row.GetProperty("ward").GetString(), row.GetProperty("level").GetString()));
        Assert.Equal((long.Parse(ts01[4]), long.Parse(ts01[5]), long.Parse(ts01[8])),
            (row.GetProperty("amountDueVnd").GetInt64(), row.GetProperty("amountCollectedVnd").GetInt64(), row.GetProperty("cashVnd").GetInt64()));
        Assert.Equal($"<{Root}/2025-09.metadata.json>; rel=\"describedby\"", json.Headers.GetValues("Link").Single());
        // The CSV keeps its ten columns first, as they always were, then what was added.
        Assert.Equal("school,school_name,period,notices,amount_due,amount_collected,collection_rate,cashless_amount,cash_amount,outstanding,ward,level,closed_at",
            csv[0].TrimEnd('\r'));
        Assert.Equal(2, csv.Length);
        Assert.StartsWith($"TS01,Trường Tiểu học Thử Nghiệm,2025-09,3,{ts01[4]},{ts01[5]},{ts01[6]},", csv[1]);
        Assert.DoesNotContain("Nguyễn", await http.GetStringAsync($"{Root}/2025-09.json"));

        await fees.OkAsync("notices", "close", "--period", "2025-09", "--school", "TS02");
        Assert.Equal(["TS01", "TS02"], (await http.GetFromJsonAsync<JsonElement>($"{Root}/2025-09.json")).EnumerateArray().Select(r => r.GetProperty("school").GetString()));
    }

    [Fact]
    public async Task OpenData_IndexAndMetadata_SayWhoPublishesUnderWhatLicenceWhenAndWhatEachFieldMeans()
    {
        await using var host = await BankHost.StartAsync();
        var http = new HttpClient { BaseAddress = host.BaseAddress };
        await host.Fees.OkAsync("notices", "close", "--period", "2025-09", "--school", "TS01");

        var index = await http.GetFromJsonAsync<JsonElement>($"{Root}/index.json");
        var meta = await http.GetFromJsonAsync<JsonElement>($"{Root}/2025-09.metadata.json");

        Assert.Equal("Thủ Dầu Một (cũ), TP. Hồ Chí Minh", index.GetProperty("publisher").GetString());
        Assert.Equal(("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
            (index.GetProperty("licence").GetProperty("name").GetString(), index.GetProperty("licence").GetProperty("url").GetString()));
        Assert.Equal(new DateTimeOffset(2025, 9, 5, 10, 0, 0, TimeSpan.FromHours(7)), index.GetProperty("generated_at").GetDateTimeOffset());
        var month = Assert.Single(index.GetProperty("months").EnumerateArray());
        Assert.Equal(("2025-09", 1, 2), (month.GetProperty("period").GetString(), month.GetProperty("schools").GetInt32(), month.GetProperty("schools_billed").GetInt32()));
        foreach (var link in new[] { "json", "csv", "metadata" })
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(month.GetProperty(link).GetString())).StatusCode);

        Assert.Equal("2025-09", meta.GetProperty("month").GetProperty("period").GetString());
        Assert.Equal("CC BY 4.0", meta.GetProperty("licence").GetProperty("name").GetString());
        Assert.Contains("khoá sổ", meta.GetProperty("published").GetProperty("vi").GetString());
        var fields = meta.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("csv").GetString()!);
        Assert.Equal(["school", "school_name", "period", "notices", "amount_due", "amount_collected", "collection_rate", "cashless_amount", "cash_amount",
            "outstanding", "ward", "level", "closed_at"], fields.Keys);
        Assert.Equal(("amountCollectedVnd", "VND"), (fields["amount_collected"].GetProperty("json").GetString(), fields["amount_collected"].GetProperty("unit").GetString()));
        Assert.Contains("whenever it came", fields["amount_collected"].GetProperty("en").GetString());
    }

    [Fact]
    public async Task OpenData_AnyPageMayReadIt_AndNothingElseIsOfferedCrossOrigin()
    {
        await using var host = await BankHost.StartAsync();
        var http = new HttpClient { BaseAddress = host.BaseAddress };
        await host.Fees.OkAsync("notices", "close", "--period", "2025-09");

        foreach (var path in new[] { "index.json", "2025-09.json", "2025-09.csv", "2025-09.metadata.json", "2025-10.json", "nothing.txt" })
        {
            using var r = await http.GetAsync($"{Root}/{path}");
            Assert.Equal("*", r.Headers.GetValues("Access-Control-Allow-Origin").Single());
        }
        foreach (var path in new[] { "/health", "/api/me", "/so/2025-09", "/phu-huynh" })
        {
            using var r = await http.GetAsync(path);
            Assert.False(r.Headers.Contains("Access-Control-Allow-Origin"), path);
        }
        using var post = await http.PostAsync($"{Root}/2025-09.json", new StringContent(""));
        Assert.False(post.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(post.IsSuccessStatusCode);
    }
}
