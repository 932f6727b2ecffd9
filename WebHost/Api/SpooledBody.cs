using Microsoft.Extensions.Options;

namespace EpiGrid.WebHost.Api;

/// <summary>
/// A body sent in chunks (no Content-Length) is read whole into a temporary file before any of it is imported: its
/// size is known only at its end, and a body refused at the limit must leave nothing half-written. A body with a
/// length was checked against the limit before the endpoint ran, so it streams straight through.
/// </summary>
public sealed class SpooledBody : IAsyncDisposable
{
    readonly FileStream file;

    SpooledBody(FileStream file) => this.file = file;

    public Stream Stream => file;

    /// <summary>The body in a temporary file (deleted when disposed), or the 413 problem naming the limit.</summary>
    public static async Task<(SpooledBody? Body, ProblemDetails? TooLarge)> Read(HttpContext http, CancellationToken cancellationToken)
    {
        var options = http.RequestServices.GetRequiredService<IOptionsMonitor<LimitsOptions>>().CurrentValue;
        var (limit, setting) = RequestLimits.LimitOf(http.GetEndpoint(), http.Request.Method, options);
        var file = new FileStream(Path.Combine(Path.GetTempPath(), $"epigrid-upload-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            // The server stops the body at the limit (RequestLimits set it); counting here holds where it could not.
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await http.Request.Body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (file.Length + read > limit) throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
            file.Position = 0;
            return (new SpooledBody(file), null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await file.DisposeAsync();
            return (null, RequestLimits.TooLarge(limit, setting));
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => file.DisposeAsync();
}
