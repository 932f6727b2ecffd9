using EpiGrid.Geography;
using EpiGrid.Grains.Alerts;
using EpiGrid.Grains.Cells;
using EpiGrid.Grains.People;
using EpiGrid.People;
using Marten;
using EpiGrid.Cells;
using EpiGrid.Platform;

namespace EpiGrid.Grains.Storage;

/// <summary>
/// The streams a set of registers is folded from, and the documents one stream's events leave in them: the same folds
/// and record factories the live writes use (<see cref="CellState.Apply"/> with <see cref="CellWrites"/>,
/// <see cref="PersonState.Apply"/> with <see cref="PersonRecord.Of"/>, <see cref="AlertRecord.Apply"/> with the ledger's
/// own transitions), never a second reading of the events. The resumption registers are not rebuilt (yet).
/// </summary>
public sealed record RegisterSource(StreamKind Kind, IReadOnlyList<IRegister> Registers, Func<string, IReadOnlyList<(object Data, long Version)>, IEnumerable<object>> Fold)
{
    public static IReadOnlyList<RegisterSource> All(Province province) =>
    [
        new(StreamKind.Cell, [RegisterOf<CellRecord>.Cells, RegisterOf<CaseRecord>.Cases], (cellId, events) =>
        {
            var state = new CellState(cellId);
            foreach (var (data, version) in events) state.Apply(data, version);
            return [CellWrites.RecordOf(state), .. CellWrites.CaseRecordsOf(state)];
        }),
        new(StreamKind.Person, [RegisterOf<PersonRecord>.Persons], (personRef, events) =>
        {
            var state = new PersonState(personRef);
            foreach (var (data, version) in events) state.Apply(data, version);
            // Every person's stream opens with an arrival (PersonDecider); one that does not has no watch to record.
            return state.Known ? [PersonRecord.Of(state, province.Options.UtcOffset)] : [];
        }),
        new(StreamKind.Alert, [RegisterOf<AlertRecord>.Alerts], (_, events) =>
        {
            AlertRecord? record = null;
            foreach (var (data, _) in events) record = AlertRecord.Apply(record, data);
            return record is null ? [] : [record];
        }),
    ];
}

/// <summary>One register (a document type) as the rebuild handles it, whatever its document type.</summary>
public interface IRegister
{
    string Name { get; }
    /// <summary>Makes the register's rows that follow from the given streams (ids without their kind) equal to <paramref name="rebuilt"/>; the rows that differed.</summary>
    Task<int> Replace(IDocumentSession session, IReadOnlyList<string> streamIds, IEnumerable<object> rebuilt, CancellationToken cancellationToken);
    /// <summary>The stream ids (without their kind) that the register's rows follow from, all of them.</summary>
    Task<IReadOnlyList<string>> Sources(IQuerySession session, CancellationToken cancellationToken);
    /// <summary>Deletes the rows that follow from these streams (streams that do not exist: rows nothing backs).</summary>
    void DeleteFrom(IDocumentSession session, IReadOnlyList<string> streamIds);
    Task<int> Count(IQuerySession session, CancellationToken cancellationToken);
}

/// <summary>How the rows of one document type are found from the streams they follow.</summary>
public sealed class RegisterOf<T>(
    string name, Func<T, string> id,
    Func<IQuerySession, string[], CancellationToken, Task<IReadOnlyList<T>>> rowsOf,
    Func<IQuerySession, CancellationToken, Task<IReadOnlyList<string>>> sources,
    Action<IDocumentSession, string[]> deleteFrom) : IRegister where T : notnull
{
    public static readonly RegisterOf<CellRecord> Cells = new("cells", r => r.Id,
        (s, ids, ct) => s.Query<CellRecord>().Where(r => r.Id.IsOneOf(ids)).ToListAsync(ct),
        (s, ct) => s.Query<CellRecord>().Select(r => r.Id).ToListAsync(ct),
        (s, ids) => s.DeleteWhere<CellRecord>(r => r.Id.IsOneOf(ids)));

    public static readonly RegisterOf<CaseRecord> Cases = new("cases", r => r.Id,
        (s, ids, ct) => s.Query<CaseRecord>().Where(r => r.CellId.IsOneOf(ids)).ToListAsync(ct),
        async (s, ct) => await s.Query<CaseRecord>().Select(r => r.CellId).Distinct().ToListAsync(ct),
        (s, ids) => s.DeleteWhere<CaseRecord>(r => r.CellId.IsOneOf(ids)));

    public static readonly RegisterOf<PersonRecord> Persons = new("persons", r => r.Id,
        (s, ids, ct) => s.Query<PersonRecord>().Where(r => r.Id.IsOneOf(ids)).ToListAsync(ct),
        (s, ct) => s.Query<PersonRecord>().Select(r => r.Id).ToListAsync(ct),
        (s, ids) => s.DeleteWhere<PersonRecord>(r => r.Id.IsOneOf(ids)));

    public static readonly RegisterOf<AlertRecord> Alerts = new("alerts", r => r.Id,
        (s, ids, ct) => s.Query<AlertRecord>().Where(r => r.Id.IsOneOf(ids)).ToListAsync(ct),
        (s, ct) => s.Query<AlertRecord>().Select(r => r.Id).ToListAsync(ct),
        (s, ids) => s.DeleteWhere<AlertRecord>(r => r.Id.IsOneOf(ids)));

    public string Name => name;

    public async Task<int> Replace(IDocumentSession session, IReadOnlyList<string> streamIds, IEnumerable<object> rebuilt, CancellationToken cancellationToken)
    {
        var serializer = session.DocumentStore.Options.Serializer();
        var live = (await rowsOf(session, [.. streamIds], cancellationToken)).ToDictionary(id, StringComparer.Ordinal);
        var differed = 0;
        foreach (var row in rebuilt.OfType<T>())
        {
            // Compared as the store writes them: a row differs if any field of its JSON does.
            if (live.Remove(id(row), out var held) && serializer.ToJson(held) == serializer.ToJson(row)) continue;
            session.Store(row);
            differed++;
        }
        foreach (var stale in live.Values) session.Delete(stale);
        return differed + live.Count;
    }

    public Task<IReadOnlyList<string>> Sources(IQuerySession session, CancellationToken cancellationToken) => sources(session, cancellationToken);

    public void DeleteFrom(IDocumentSession session, IReadOnlyList<string> streamIds) => deleteFrom(session, [.. streamIds]);

    public Task<int> Count(IQuerySession session, CancellationToken cancellationToken) => session.Query<T>().CountAsync(cancellationToken);
}
