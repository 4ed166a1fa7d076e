// Code that breaks every folder rule on purpose, so FolderTests can show each rule fails when it should.
// Nothing calls it.
#pragma warning disable CA1822

namespace TdmEdu.Fees.Api.Tests.Architecture.Samples.Common
{
    public sealed class Clock
    {
        public Persistence.Store Store() => new();
    }
}

namespace TdmEdu.Fees.Api.Tests.Architecture.Samples.Persistence
{
    public sealed class Store
    {
        public Application.Billing.Service Service() => new();
    }
}

namespace TdmEdu.Fees.Api.Tests.Architecture.Samples.Application.Billing
{
    public sealed class Service
    {
        public Persistence.Store Store() => new();

        public Http.Endpoint Endpoint() => new();
    }
}

namespace TdmEdu.Fees.Api.Tests.Architecture.Samples.Http
{
    public sealed class Endpoint;
}
