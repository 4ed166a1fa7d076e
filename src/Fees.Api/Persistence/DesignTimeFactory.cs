using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace TdmEdu.Fees.Api.Persistence;

/// <summary>Lets `dotnet ef migrations add` build the model without a running database.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<FeesDb>
{
    public FeesDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<FeesDb>().UseNpgsql("Host=localhost;Database=design_time").Options);
}
