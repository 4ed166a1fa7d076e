using TdmEdu.Fees.Api.Application.Billing;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Http;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Hosting;

/// <summary>What the pages and the open routes read and print through: the language, months and pupils, the reports and dashboards, the PDFs, the parents' session.</summary>
public static class ReadServices
{
    public static void Add(IServiceCollection services)
    {
        services.AddScoped<Lang>();
        services.AddScoped<SchoolMonth>();
        services.AddScoped<NoticeMonths>();
        services.AddScoped<Application.Pupils.PupilSearch>();
        services.AddScoped<Application.Pupils.PupilFiles>();
        services.AddScoped<ParentLookup>();
        services.AddScoped<CollectionReport>();
        services.AddScoped<Ageing>();
        services.AddScoped<CollectionSummary>();
        services.AddSingleton<OpenDataLimit>();
        services.AddScoped<Printing.NoticePdf>();
        services.AddScoped<Printing.ReceiptPdf>();
        services.AddScoped<NoticeExport>();
        services.AddScoped<LedgerAudit>();
        services.AddSingleton<ParentSession>();
        services.AddScoped<ParentGuard>();
    }
}
