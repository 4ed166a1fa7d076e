using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using TdmEdu.Fees.NotifyAdapters.Esms;
using TdmEdu.Fees.NotifyAdapters.Templates;

namespace TdmEdu.Fees.Api.Sandbox;

/// <summary>The eSMS half of the simulator (§8): send, status, and the GET callback 1 s after a send.</summary>
public sealed partial class NotifySimulator
{
    private void MapEsms(WebApplication app)
    {
        app.MapPost("/MainService.svc/json/SendMultipleMessage_V4_post_json/", async (HttpRequest request) =>
        {
            var body = await JsonNode.ParseAsync(request.Body) as JsonObject;
            string Get(string name) => body?[name]?.ToString() ?? "";
            if (Get("ApiKey") != Sandbox.EsmsApiKey || Get("SecretKey") != Sandbox.EsmsSecretKey)
                return Results.Json(new { CodeResult = "101", ErrorMessage = "Authorize Failed" });
            var local = Get("Phone");
            if (local.Length != 10 || local[0] != '0' || !local.All(char.IsAsciiDigit)) return Results.Json(new { CodeResult = "108", ErrorMessage = "Phone number is invalid" });
            var phone = Normalise(local);
            if (LastDigit(phone) == '9' && _firstCallDone.TryAdd("sms:" + phone, 0)) return Results.StatusCode(503);
            var requestId = Get("RequestId");
            if (requestId.Length == 0 || requestId.Length > 50) return Results.Json(new { CodeResult = "118", ErrorMessage = "RequestId is missing or too long" });
            if (!_requestIds.TryAdd(requestId, 0)) return Results.Json(new { CodeResult = "124", ErrorMessage = "RequestId already used" });
            var content = Get("Content");
            var got = new Received("sms", phone, Guid.NewGuid().ToString(), requestId, null, null, content, LinkIn(content), DateTimeOffset.UtcNow);
            _received.Enqueue(got);
            if (Uri.TryCreate(Get("CallbackUrl"), UriKind.Absolute, out var callback)) Later(() => DeliverSmsAsync(got, callback));
            return Results.Json(new { CodeResult = "100", CountRegenerate = 0, SMSID = got.ProviderId });
        });
        app.MapGet("/MainService.svc/json/GetSmsReceiverStatus_get", (string? ApiKey, string? SecretKey, string? RefId) =>
        {
            if (ApiKey != Sandbox.EsmsApiKey || SecretKey != Sandbox.EsmsSecretKey) return Results.Json(new { CodeResult = "101", ErrorMessage = "Authorize Failed" });
            var got = _received.FirstOrDefault(r => r.Channel == "sms" && r.ProviderId == RefId);
            if (got is null) return Results.Json(new { CodeResult = "100", ReceiverList = Array.Empty<object>() });
            var sent = got.State != "accepted";
            return Results.Json(new
            {
                CodeResult = "100",
                ReceiverList = new[] { new { IsSent = sent, NetworkName = "Viettel", Phone = "0" + got.Phone[2..], Retry = 0, SentResult = got.State == "delivered" } },
            });
        });
    }

    /// <summary>
    /// The GET eSMS makes: the path and query of the CallbackUrl the send named, on --callback-base (so a service
    /// configured with its public address is still reached locally), with eSMS's parameters added.
    /// </summary>
    private Task DeliverSmsAsync(Received got, Uri callbackUrl)
    {
        var failed = LastDigit(got.Phone) == '8';
        got.State = failed ? "failed" : "delivered";
        var parts = SmsText.Segments(got.Content ?? "");
        var query = new Dictionary<string, string?>
        {
            ["SMSID"] = got.ProviderId, ["SendFailed"] = failed ? "1" : "0", ["SendStatus"] = "5", ["SendSuccess"] = failed ? "0" : "1",
            ["TotalPrice"] = (failed ? 0 : parts * Sandbox.SmsPartPriceVnd).ToString(CultureInfo.InvariantCulture), ["RequestId"] = got.RequestId,
            ["TypeId"] = "2", ["telcoid"] = "1", ["phonenumber"] = EsmsSmsChannel.LocalPhone(got.Phone),
        };
        var target = QueryHelpers.AddQueryString(new Uri(_settings.CallbackBase, callbackUrl.PathAndQuery).ToString(), query);
        return CallBackAsync(new HttpRequestMessage(HttpMethod.Get, target));
    }
}
