using TdmEdu.Fees.NotifyAdapters.Templates;
using TdmEdu.Fees.NotifyAdapters.Tests.Support;

namespace TdmEdu.Fees.NotifyAdapters.Tests.Templates;

public sealed class TemplateTests
{
    [Theory]
    [InlineData("Nguyễn Văn An", "An")]
    [InlineData("  Trần   Thị Bích  Ngọc ", "Ngọc")]
    [InlineData("Lê", "Lê")]
    [InlineData("   ", "")]
    public void FirstName_IsTheLastWord(string full, string expected) => Assert.Equal(expected, TextValues.FirstName(full));

    [Theory]
    [InlineData(0, "0 đ")]
    [InlineData(999, "999 đ")]
    [InlineData(1_500_000, "1.500.000 đ")]
    [InlineData(12_345_678_901, "12.345.678.901 đ")]
    public void Amount_HasViVnGrouping(long vnd, string expected) => Assert.Equal(expected, TextValues.Amount(vnd));

    [Theory]
    [InlineData("Trường Tiểu học Phú Hòa 2 Thủ Dầu Một", 30, "Trường Tiểu học Phú Hòa 2 Thủ")]
    [InlineData("TH Phú Hòa 2", 30, "TH Phú Hòa 2")]
    [InlineData("Abcdefghijklmnopqrstuvwxyz0123456789", 30, "Abcdefghijklmnopqrstuvwxyz0123")]
    [InlineData("Hai từ", 3, "Hai")]
    public void Cut_StopsAtAWordBoundary(string value, int max, string expected)
    {
        var cut = TextValues.Cut(value, max);

        Assert.Equal(expected, cut);
        Assert.True(cut.Length <= max);
    }

    [Fact]
    public void SmsFold_StripsEveryVietnameseMark_AndKeepsTheGsmBasicSet()
    {
        var folded = SmsText.Fold("Trường Tiểu học ĐỒNG Đa: Đã nhận 1.500.000 đ – “cảm ơn” € [x]\tạ");

        Assert.Equal("Truong Tieu hoc DONG Da: Da nhan 1.500.000 d - \"cam on\" ? ?x? a", folded);
    }

    [Fact]
    public void SmsFold_OfTheWholeVietnameseAlphabet_IsAscii()
    {
        const string letters = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ";
        var all = letters + letters.ToUpperInvariant();
        // Decomposed input (as some keyboards send) folds the same as composed.
        var folded = SmsText.Fold(all.Normalize(System.Text.NormalizationForm.FormD));

        Assert.Equal(all.Length, folded.Length);
        Assert.All(folded, c => Assert.True(char.IsAsciiLetter(c), $"'{c}' is not a plain letter"));
    }

    [Theory]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    public void Segments_Are160OrEach153(int length, int parts) => Assert.Equal(parts, SmsText.Segments(new string('a', length)));

    [Fact]
    public void Sms_NoticeIssued_ReadsAsTheContractSays()
    {
        var sms = MessageTemplates.Sms(MessageKind.NoticeIssued, Samples.Values());

        Assert.Equal($"TH Phu Hoa 2: Thong bao thu T9/2026 cua em An: 1.500.000 d, han 15/09/2026. Ma TT HS12345671. Xem va QR: {Samples.Link}", sms.Text);
        Assert.Equal(2, sms.Segments);
        Assert.False(sms.TooLong);
    }

    [Fact]
    public void Sms_OverTwoParts_IsTooLong()
    {
        var sms = MessageTemplates.Sms(MessageKind.NoticeIssued, Samples.Values(link: Samples.Link + new string('x', 200)));

        Assert.True(sms.TooLong);
        Assert.True(sms.Text!.Length > SmsText.MaxLength);
    }

    [Fact]
    public void EveryKind_RendersOnEveryChannel_WithEveryValueGiven()
    {
        foreach (var kind in Enum.GetValues<MessageKind>())
        {
            var v = Samples.Values(firstName: "Ngọc");
            Assert.Null(MessageTemplates.Sms(kind, v).Missing);
            Assert.Contains("em Ngoc", MessageTemplates.Sms(kind, v).Text);
            Assert.Null(MessageTemplates.Zns(kind, v).Missing);
            Assert.Equal("Ngọc", MessageTemplates.Zns(kind, v).Data!["first_name"]);
            Assert.Contains("em Ngọc", EmailText.Render(kind, v).Plain);
            Assert.Equal((WireNames.Of(kind) + ".sms", 1), (MessageTemplates.Id(kind, NotificationChannel.Sms).Code, MessageTemplates.Id(kind, NotificationChannel.Sms).Version));
        }
    }

    [Fact]
    public void Zns_PaymentApplied_CarriesItsKeysWithBareDigits()
    {
        var data = MessageTemplates.Zns(MessageKind.PaymentApplied, Samples.Values()).Data!;

        Assert.Equal(["first_name", "left", "link", "paid", "period", "receipt"], data.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("500.000", "1.000.000", "tháng 9/2026", "26T/0000123"), (data["paid"], data["left"], data["period"], data["receipt"]));
        Assert.Equal(Samples.Link, data["link"]);
    }

    [Fact]
    public void Zns_LongValues_AreCutToTheirParameterLength()
    {
        var data = MessageTemplates.Zns(MessageKind.NoticeIssued, Samples.Values(school: "Trường Tiểu học Phú Hòa 2 Thủ Dầu Một", firstName: "Ngọc")).Data!;

        Assert.Equal("Trường Tiểu học Phú Hòa 2 Thủ", data["school"]);
    }

    [Fact]
    public void MissingValue_IsNamed_NotRenderedEmpty()
    {
        var v = Samples.Values() with { Receipt = null };

        Assert.Equal("receipt", MessageTemplates.Sms(MessageKind.PaymentApplied, v).Missing);
        Assert.Equal("receipt", MessageTemplates.Zns(MessageKind.ReceiptChanged, v).Missing);
        Assert.Equal("receipt", EmailText.Render(MessageKind.PaymentApplied, v).Missing);
        Assert.Null(MessageTemplates.Sms(MessageKind.NoticeIssued, v).Missing);
    }

    [Fact]
    public void Email_SubjectAndParts_AreVietnamese_AndHtmlIsEncoded()
    {
        var v = Samples.Values(school: "TH <Phú & Hòa>", firstName: "An");

        var mail = EmailText.Render(MessageKind.NoticeIssued, v);

        Assert.Equal("[TH <Phú & Hòa>] Thông báo thu tháng 9/2026 – em An", mail.Subject);
        Assert.Contains("Trường TH <Phú & Hòa> gửi thông báo thu tháng 9/2026 của em An: 1.500.000 đ, hạn nộp 15/09/2026. Mã thanh toán: HS12345671.", mail.Plain);
        Assert.Contains("Trường TH &lt;Phú &amp; Hòa&gt; gửi", mail.Html);
        Assert.DoesNotContain("<Phú", mail.Html);
        Assert.Contains($"<a href=\"{Samples.Link}\">", mail.Html);
        Assert.DoesNotContain("huy-nhan", mail.Plain);
    }

    [Fact]
    public void Email_Reminder_CarriesTheOptOutLink()
    {
        var mail = EmailText.Render(MessageKind.ReminderOverdue, Samples.Values());

        Assert.Equal("[TH Phú Hòa 2] Quá hạn nộp tháng 9/2026 – em An", mail.Subject);
        Assert.Contains(Samples.Values().UnsubscribeLink!, mail.Plain);
        Assert.Contains(Samples.Values().UnsubscribeLink!, mail.Html);
    }
}
