using System.Text;

namespace EpiGrid.WebHost.Http;

/// <summary>
/// JSON is UTF-8 (RFC 8259), and a body that is not is malformed, however far in the bad bytes sit. System.Text.Json
/// checks the strings it turns into .NET strings, but not those it keeps as raw nodes (batch items, bulk arrays)
/// nor property names it skips, so the check is made here, on the bytes, as they are read: 400 naming the body.
/// </summary>
public static class Utf8Body
{
    public static async Task Check(HttpContext http, RequestDelegate next)
    {
        if (!http.Request.HasJsonContentType())
        {
            await next(http);
            return;
        }
        var body = new CheckedStream(http.Request.Body);
        http.Request.Body = body;
        await next(http);
        // Body binding answers a failed read with a bare 400 of its own: say what was wrong.
        if (body.Failure is { } failure && !http.Response.HasStarted)
            await Problems.Invalid("body", failure.Message).WriteTo(http);
    }

    /// <summary>Found anywhere in an exception's chain (endpoints may wrap it), it means a 400 naming the body.</summary>
    public sealed class NotUtf8Exception(string message, Exception inner) : BadHttpRequestException(message, StatusCodes.Status400BadRequest, inner)
    {
        public static NotUtf8Exception? In(Exception? e) => e is null ? null : e as NotUtf8Exception ?? In(e.InnerException);
    }

    sealed class CheckedStream(Stream inner) : InspectedBody(inner)
    {
        readonly Decoder decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();

        public NotUtf8Exception? Failure { get; private set; }

        protected override void Inspect(ReadOnlySpan<byte> bytes, bool last)
        {
            try
            {
                decoder.GetCharCount(bytes, flush: last);
            }
            catch (DecoderFallbackException e)
            {
                var at = Position + Math.Max(0, e.Index);
                throw Failure = new NotUtf8Exception($"The body is not valid UTF-8 (byte {at:N0}); JSON must be UTF-8.", e);
            }
        }
    }
}
