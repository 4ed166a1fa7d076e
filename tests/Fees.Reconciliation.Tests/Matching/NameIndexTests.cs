using TdmEdu.Fees.Reconciliation.Matching;

namespace TdmEdu.Fees.Reconciliation.Tests.Matching;

/// <summary>A full name written in a description, case, diacritics and punctuation aside, is a clue; one word is not.</summary>
public sealed class NameIndexTests
{
    private static StudentFacts Pupil(string name, string className = "1A1") => new(Guid.NewGuid(), "HS10000003", name, className, 0);

    private static IReadOnlyList<(Guid, bool)> Find(string text, params StudentFacts[] pupils) =>
        new NameIndex(pupils).Find(text).Select(f => (f.Student.Id, f.ClassToo)).ToList();

    [Fact]
    public void Find_ATwoWordName_IsAClue()
    {
        var na = Pupil("Lê Na");

        Assert.Equal([(na.Id, false)], Find("PH LE NA dong tien", na));
    }

    [Fact]
    public void Find_ASixWordName_IsAClue()
    {
        var thu = Pupil("Nguyễn Thị Ngọc Bảo Anh Thư", "5A2");

        Assert.Equal([(thu.Id, true)], Find("hoc phi nguyen thi ngoc bao anh thu 5A2", thu));
    }

    [Fact]
    public void Find_AOneWordName_IsNeverAClue()
    {
        var na = Pupil("Na");

        Assert.Empty(Find("be Na lop 1A1", na));
    }

    [Fact]
    public void Find_ANameAtTheVeryEndOfTheText_IsAClue()
    {
        var an = Pupil("Nguyễn Văn An");

        Assert.Equal([(an.Id, false)], Find("chuyen tien hoc phi NGUYEN VAN AN", an));
    }

    [Fact]
    public void Find_PunctuationAroundTheNameAndClass_IsLikeASpace()
    {
        var an = Pupil("Nguyễn Văn An");

        Assert.Equal([(an.Id, true)], Find("HP.NGUYEN VAN AN,lop-1A1.", an));
    }

    [Fact]
    public void Find_PartOfAClassName_IsNotTheClass()
    {
        var an = Pupil("Nguyễn Văn An", "1A1");
        var nameless = Pupil("Trần Bảo", "");

        Assert.Equal([(an.Id, false), (nameless.Id, false)], Find("NGUYEN VAN AN TRAN BAO lop 1A 1", an, nameless));
    }

    [Fact]
    public void Find_TwoPupilsOfOneName_AreBothCluesAndEachOnce()
    {
        var first = Pupil("Nguyễn Văn An", "1A1");
        var second = Pupil("Nguyen Van An", "2A1");

        Assert.Equal([(first.Id, false), (second.Id, true)], Find("Nguyen Van An 2A1, Nguyen Van An", first, second));
    }
}
