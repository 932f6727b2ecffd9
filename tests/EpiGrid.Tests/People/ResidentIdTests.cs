using EpiGrid.People;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EpiGrid.Tests.People;

public sealed class ResidentIdTests
{
    static readonly DateOnly Today = new(2020, 2, 20);

    [Theory]
    [InlineData("11010519491231002X")] // the example of GB 11643-1999 itself
    [InlineData("11010519491231002x")]
    public void The_standards_own_example_is_valid(string id) => ResidentId.Problem(id, Today).ShouldBeNull();

    [Theory]
    [InlineData("110105194912310021", "check character")]
    [InlineData("11010519491331002X", "birth date")]
    [InlineData("11010520250101002X", "birth date")]
    [InlineData("1101051949123100", "18 characters")]
    [InlineData("11010519491231002Y", "last character")]
    [InlineData("01010519491231002X", "region code")]
    [InlineData("", "Required")]
    public void A_bad_number_is_refused_with_the_reason(string id, string reason) =>
        ResidentId.Problem(id, Today)!.ShouldContain(reason, Case.Insensitive);

    [Property(MaxTest = 500)]
    public Property Any_single_digit_typo_is_caught_by_the_check_character()
    {
        var ids = from region in Gen.Choose(110000, 659999)
                  from age in Gen.Choose(0, 36_000)
                  from sequence in Gen.Choose(0, 999)
                  from position in Gen.Choose(0, 16)
                  from delta in Gen.Choose(1, 9)
                  select (Id: Make(region, Today.AddDays(-age), sequence), Position: position, Delta: delta);
        return Prop.ForAll(ids.ToArbitrary(), x =>
        {
            var typo = x.Id.ToCharArray();
            typo[x.Position] = (char)('0' + (typo[x.Position] - '0' + x.Delta) % 10);
            var mistyped = new string(typo);
            return ResidentId.Problem(x.Id, Today) is null
                   && (ResidentId.Problem(mistyped, Today) is not null);
        });
    }

    [Fact]
    public void Masks_keep_only_the_check_character_and_the_network_segment()
    {
        // Issue 14: the former 330782********123X and 138****5678 left a key holder a few thousand candidates (MaskingTests).
        ResidentId.Mask("33078219800101123X").ShouldBe("*****************X");
        PhoneNumber.Mask("138 1234 5678").ShouldBe("138********");
    }

    [Fact]
    public void A_person_reference_is_stable_keyed_and_reveals_nothing()
    {
        var id = Make(330782, new DateOnly(1980, 1, 1), 123);
        var protector = new PersonalDataProtector(new string('a', 32));
        var reference = protector.PersonRef(id);

        reference.ShouldBe(protector.PersonRef(id.ToLowerInvariant() + " "));
        reference.ShouldNotBe(new PersonalDataProtector(new string('b', 32)).PersonRef(id));
        reference.ShouldNotContain(id[..6]);
        reference.Length.ShouldBe(25);
        Should.Throw<ArgumentException>(() => new PersonalDataProtector("short"));
    }

    public static string MaskOf(string idNumber) => ResidentId.Mask(idNumber);

    /// <summary>A valid number for a region, birth date and sequence.</summary>
    public static string Make(int region, DateOnly born, int sequence)
    {
        var first17 = $"{region:D6}{born:yyyyMMdd}{sequence:D3}";
        return first17 + ResidentId.CheckCharacter(first17);
    }
}
