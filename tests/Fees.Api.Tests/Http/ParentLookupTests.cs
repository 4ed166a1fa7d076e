using System.Net;
using System.Text.RegularExpressions;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Tests.Support;
using TdmEdu.Fees.Domain.Students;

namespace TdmEdu.Fees.Api.Tests.Http;

/// <summary>
/// The parent portal's look-up as an outsider plays it: a wrong date of birth must tell nothing about the code,
/// right look-ups must not count against anyone, and a stranger guessing must not lock a family out.
/// </summary>
public sealed class ParentLookupTests
{
    private const string Family = "198.51.100.30", Stranger = "203.0.113.30", AnotherStranger = "203.0.113.31";

    /// <summary>A look-up from an address (given as nginx would forward it): its status and the page it answered.</summary>
    private static async Task<(int Status, string Html)> LookUpAsync(BankHost host, string from, string code, string dateOfBirth)
    {
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", from);
        var token = Forms.Token(await client.GetStringAsync("/phu-huynh"));
        using var r = await client.PostAsync("/phu-huynh", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Code"] = code, ["DateOfBirth"] = dateOfBirth,
        }));
        return ((int)r.StatusCode, await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AWrongDateOfBirth_AnswersExactlyAsACodeThatDoesNotExist()
    {
        await using var host = await BankHost.StartAsync();
        var code = await host.PaymentCodeAsync("7900000002");                              // Trần Thị Bích, born 01/03/2017
        var nobody = PaymentCode.Create(code[..2], 9_999_999).Value;                        // a well-formed code no pupil has

        var wrongDate = await LookUpAsync(host, Family, code, "02/03/2017");
        var unknownCode = await LookUpAsync(host, Family, nobody, "02/03/2017");
        var badCheckDigit = await LookUpAsync(host, Family, code[..^1] + (char)('0' + (code[^1] - '0' + 1) % 10), "02/03/2017");

        // The pages differ only in the antiforgery token and in the code echoed back into the form.
        static string Normalised(string html, string typed) =>
            Regex.Replace(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]*\"", "TOKEN").Replace($"value=\"{typed}\"", "value=\"CODE\"", StringComparison.Ordinal);
        Assert.Equal(200, wrongDate.Status);
        Assert.Equal(unknownCode.Status, wrongDate.Status);
        Assert.Equal(Normalised(unknownCode.Html, nobody), Normalised(wrongDate.Html, code));
        Assert.Equal(Normalised(badCheckDigit.Html, code[..^1] + (char)('0' + (code[^1] - '0' + 1) % 10)), Normalised(wrongDate.Html, code));
        Assert.Contains("Không tìm thấy học sinh có mã thanh toán và ngày sinh này.", wrongDate.Html);
        Assert.DoesNotContain("*", Regex.Match(wrongDate.Html, "role=\"alert\">[^<]*").Value);
    }

    [Fact]
    public async Task RightLookUpsDoNotCount_AndAStrangersGuessesDoNotLockTheFamilyOut()
    {
        await using var host = await BankHost.StartAsync();
        var code = await host.PaymentCodeAsync("7900000002");

        // A family that looks its child up again and again (every day, several phones behind one address) is never stopped.
        var family = new List<int>();
        for (var i = 0; i < 25; i++) family.Add((await LookUpAsync(host, Family, code, "01/03/2017")).Status);
        // A stranger guesses the date: stopped after eight, for this code, at the stranger's own address.
        var guesses = new List<int>();
        for (var day = 1; day <= 10; day++) guesses.Add((await LookUpAsync(host, Stranger, code, $"{day:D2}/01/2017")).Status);
        // The family, from its own address, with the right date: still let in.
        var familyAfter = (await LookUpAsync(host, Family, code, "01/03/2017")).Status;
        // While the code is being guessed, another address gets one try at it, not eight.
        var second = new[] { (await LookUpAsync(host, AnotherStranger, code, "11/01/2017")).Status, (await LookUpAsync(host, AnotherStranger, code, "12/01/2017")).Status };
        // Another child's code is not affected by the guessing of this one.
        var sibling = (await LookUpAsync(host, Stranger, await host.PaymentCodeAsync("7900000001"), "01/01/2001")).Status;

        Assert.All(family, s => Assert.Equal(302, s));
        Assert.Equal([.. Enumerable.Repeat(200, 8), 429, 429], guesses);
        Assert.Equal(302, familyAfter);
        Assert.Equal([200, 429], second);
        Assert.Equal(200, sibling);
    }

    [Theory]
    [InlineData("01032021")]
    [InlineData("1/3/2021")]
    [InlineData("01/03/2021")]
    [InlineData("01-03-2021")]
    [InlineData("01.03.2021")]
    [InlineData(" 1.3.2021 ")]
    [InlineData("2021-03-01")]
    public void ParseDate_ReadsTheFormsParentsType(string typed) =>
        Assert.Equal(new DateOnly(2021, 3, 1), ParentLookup.ParseDate(typed));

    [Theory]
    [InlineData("")]
    [InlineData("1032021")]
    [InlineData("31/02/2021")]
    [InlineData("01/13/2021")]
    [InlineData("1/3/21")]
    [InlineData("ngày 1 tháng 3")]
    public void ParseDate_RefusesWhatCannotBeRead(string typed) => Assert.Null(ParentLookup.ParseDate(typed));

    [Fact]
    public async Task ADateThatCannotBeRead_GetsAHint_ThatSaysNothingAboutTheCode_AndDoesNotCountAsAGuess()
    {
        await using var host = await BankHost.StartAsync();
        var code = await host.PaymentCodeAsync("7900000002");
        var nobody = PaymentCode.Create(code[..2], 9_999_999).Value;

        var answers = new List<(int Status, string Html)>();
        for (var i = 0; i < 12; i++) answers.Add(await LookUpAsync(host, Stranger, i % 2 == 0 ? code : nobody, "31/02/2017"));
        // The same address may still make its eight guesses at the code afterwards: the hints were not counted.
        var guesses = new List<int>();
        for (var day = 1; day <= 9; day++) guesses.Add((await LookUpAsync(host, Stranger, code, $"{day:D2}/01/2017")).Status);

        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.All(answers, a => Assert.Contains("Chưa đọc được ngày sinh. Hãy nhập theo ngày/tháng/năm, ví dụ 01/03/2021.", a.Html));
        Assert.All(answers, a => Assert.DoesNotContain("Không tìm thấy", a.Html));
        static string Normalised(string html) => Regex.Replace(Regex.Replace(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]*\"", "TOKEN"),
            "name=\"Code\"([^>]*)value=\"[^\"]*\"", "name=\"Code\"$1value=\"CODE\"");
        Assert.Equal(Normalised(answers[0].Html), Normalised(answers[1].Html));
        Assert.Equal([.. Enumerable.Repeat(200, 8), 429], guesses);
    }
}
