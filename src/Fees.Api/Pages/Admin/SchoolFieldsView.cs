namespace TdmEdu.Fees.Api.Pages.Admin;

/// <summary>What the _SchoolFields partial shows: a school's code, name, level, ward, tax code and address as the form holds them.</summary>
public sealed record SchoolFieldsView(string Code, string Name, string Level, string? Ward, bool CodeEditable, string? TaxCode = null, string? Address = null);
