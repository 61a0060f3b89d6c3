/**
 * The analytics projection in a rebuild (issue 14: docs/analytics.md, "How a rebuild counts").
 * Live, each event reads its documents through the unit of work and puts them back; a rebuild passed
 * every event through the shared write-back (rebuild-write-back.ts) that way, and its bookkeeping was
 * most of the rebuild's CPU. Here a rebuild counts into documents it holds itself, in plain maps by
 * id, and puts each document once: at the rebuild's end (`finishRebuild`), or earlier when more than
 * `heldPeriodDocuments` documents of periods (hour buckets, day documents, room months) are held:
 * then those of the oldest periods are written out and let go of, about half of them (a log in time
 * order is done with those periods). An event of a period already written out (an out-of-order
 * `occurredAt`, or a log not in time order) reads its document back through the unit and counts into
 * it (the slow path), and the document is held, and written, again. Past `heldStreams` stream
 * documents, the idle ones are written out with their hour buckets and room months (a later event of
 * such a stream reads them back the same way).
 *
 * The documents are built by the same code as live (analytics-facts.ts, analytics-day-counts.ts), in
 * the log's order: a rebuild writes what a rebuild through the write-back wrote.
 */
import type { RecordedEvent } from '@resoft/domain';
import type { ProjectionUnitOfWork } from '../runtime/projection.js';
import { leanBucket, streamOfBucket } from './analytics-bucket.js';
import { countIntoHour, hourOfDay, newDay } from './analytics-day-counts.js';
import { countIntoStreamDocuments, newBucket, newRoomMonth, newStream } from './analytics-facts.js';
import {
  AnalyticsReadModels, HOURLY_BUCKET_TYPES, bucketDocId, dayDocId, dayOfHour, monthOfHour, roomMonthDocId, streamKindOf,
  type AnalyticsBucketView, type AnalyticsDayView, type AnalyticsRoomMonthView, type AnalyticsStreamView,
} from './analytics-model.js';
import { NameNumbers, RebuiltDay, type DayNames } from './analytics-rebuilt-day.js';

/**
 * Period documents held before the oldest periods are written out: the 1.1M-event benchmark log
 * (≈ 420k of them, not in time order) is held whole (docs/performance.md, 2026-12-05).
 */
export const REBUILD_HELD_PERIOD_DOCUMENTS = 500_000;
/** At the rebuild's end, documents put between two writes (a few MB of documents). */
const FINISH_WRITE_EVERY = 1_000;
/** Stream documents held before the idle ones are written out. */
export const REBUILD_HELD_STREAMS = 10_000;

/**
 * The last hour of a period document's period, as a string that sorts in time (`YYYY-MM-DDTHH`;
 * a month's is `YYYY-MM-99`, after any of its days).
 */
const bucketEnd = (hour: string): string => hour.slice(0, 13);
const dayEnd = (hour: string): string => `${hour.slice(0, 10)}T23`;
const monthEnd = (month: string): string => `${month}-99`;

/** Puts a document the rebuild holds itself: written without being kept by a unit that can (the rebuild's write-back). */
const putOnce = (unit: ProjectionUnitOfWork, collection: string, doc: AnalyticsBucketView | AnalyticsDayView | AnalyticsRoomMonthView | AnalyticsStreamView): void => {
  if (unit.putAndLetGo) unit.putAndLetGo(collection, doc);
  else unit.put(collection, doc);
};

/** One kind of period document held by the rebuild: its collection, the end of a held document's period, and the document to write. */
interface PeriodDocuments<T, D = T> {
  readonly collection: string;
  readonly held: Map<string, T>;
  readonly endOf: (doc: T) => string;
  readonly written: (doc: T) => D;
}

/** A day held: counted in the rebuild's form, or a document read back (counted into as it is). */
type HeldDay = RebuiltDay | AnalyticsDayView;

export class AnalyticsRebuild {
  private readonly streams = new Map<string, AnalyticsStreamView>();
  private readonly names: DayNames = { types: new NameNumbers(), areas: new NameNumbers(), actors: new NameNumbers() };
  private readonly buckets: PeriodDocuments<AnalyticsBucketView> = { collection: AnalyticsReadModels.buckets, held: new Map(), endOf: (b) => bucketEnd(b.hour), written: (b) => b };
  private readonly days: PeriodDocuments<HeldDay, AnalyticsDayView> = {
    collection: AnalyticsReadModels.days, held: new Map(), endOf: (d) => dayEnd(d.day), written: (d) => (d instanceof RebuiltDay ? d.toDocument(this.names) : d),
  };
  private readonly roomMonths: PeriodDocuments<AnalyticsRoomMonthView> = { collection: AnalyticsReadModels.roomMonths, held: new Map(), endOf: (m) => monthEnd(m.month), written: (m) => m };
  /**
   * Every period document whose period ends at or before this was written out when it was let go of
   * ('': none yet): one not held may be in the store then. One of a later period, not held, was never written.
   */
  private writtenThrough = '';
  /** The day document the previous event went to, and its UTC date (`YYYY-MM-DD`). */
  private lastDay: HeldDay | null = null;
  private lastDate = '';
  /**
   * The ids of the stream documents written out before the end, with their hour buckets and room
   * months: those may be read back (a lookup of a bucket or month of such a stream not held asks the unit).
   */
  private readonly writtenStreams = new Set<string>();

  constructor(
    private readonly heldPeriodDocuments: number,
    private readonly heldStreams: number,
  ) {}

  /** Counts an event of `projectId`, `area` and UTC `hour`; a promise only when a document must be read back. */
  count(recorded: RecordedEvent, unit: ProjectionUnitOfWork, projectId: string, area: string, hour: string): Promise<void> | void {
    const streamId = recorded.streamId;
    let stream = this.streams.get(streamId);
    if (!stream && !this.writtenStreams.has(streamId)) this.streams.set(streamId, (stream = newStream(recorded, projectId)));
    const bucketId = HOURLY_BUCKET_TYPES.has(recorded.type) ? bucketDocId(streamId, hour) : null;
    const month = (stream ? stream.kind : streamKindOf(streamId)) === 'room' ? monthOfHour(hour) : null;
    const monthId = month === null ? null : roomMonthDocId(streamId, month);
    let day = this.lastDay;
    let dayId: string | null = null;
    if (day === null || day.projectId !== projectId || !hour.startsWith(this.lastDate)) {
      dayId = dayDocId(projectId, dayOfHour(hour), unit.writer);
      day = this.days.held.get(dayId) ?? (dayEnd(hour) > this.writtenThrough ? this.hold(this.days, dayId, new RebuiltDay(dayId, projectId, dayOfHour(hour), unit.writer)) : null);
    }
    let bucket: AnalyticsBucketView | null | undefined = null;
    if (bucketId !== null) {
      bucket = this.buckets.held.get(bucketId);
      if (!bucket && bucketEnd(hour) > this.writtenThrough && !this.writtenStreams.has(streamId)) bucket = this.hold(this.buckets, bucketId, newBucket(projectId, bucketId, hour));
    }
    let roomMonth: AnalyticsRoomMonthView | null | undefined = null;
    if (monthId !== null) {
      roomMonth = this.roomMonths.held.get(monthId);
      if (!roomMonth && monthEnd(month!) > this.writtenThrough && !this.writtenStreams.has(streamId)) roomMonth = this.hold(this.roomMonths, monthId, newRoomMonth(projectId, monthId, streamId, hour));
    }
    if (stream && day !== null && bucket !== undefined && roomMonth !== undefined) {
      this.countInto(recorded, area, hour, stream, day, bucket, roomMonth);
      return;
    }
    return (async () => {
      const read = async <H, T extends H & (AnalyticsBucketView | AnalyticsDayView | AnalyticsRoomMonthView)>(documents: PeriodDocuments<H, unknown>, id: string, made: () => T): Promise<T> => {
        const doc = (await unit.get<T>(documents.collection, id)) ?? made();
        documents.held.set(id, doc);
        return doc;
      };
      let readStream = stream;
      if (!readStream) {
        const stored = await unit.get<AnalyticsStreamView>(AnalyticsReadModels.streams, streamId);
        this.streams.set(streamId, (readStream = stored ?? newStream(recorded, projectId)));
      }
      const readDay = day ?? (await read(this.days, dayId!, () => newDay(dayId!, projectId, hour, unit.writer)));
      const readBucket = bucket === undefined ? await read(this.buckets, bucketId!, () => newBucket(projectId, bucketId!, hour)) : bucket;
      const readMonth = roomMonth === undefined ? await read(this.roomMonths, monthId!, () => newRoomMonth(projectId, monthId!, streamId, hour)) : roomMonth;
      // One written before the lean buckets cannot be in a rebuild's store; made lean all the same, as live.
      this.countInto(recorded, area, hour, readStream, readDay, readBucket && leanBucket(readBucket), readMonth);
    })();
  }

  /** After a page of events: writes out and lets go of idle streams and old periods, when more are held than their bounds. */
  letGoOfIdle(unit: ProjectionUnitOfWork): void {
    this.letGoOfIdleStreams(unit);
    this.letGoOfOldPeriods(unit);
  }

  /**
   * When more stream documents are held than the bound: writes out those whose last event is the
   * longest ago, about half of them (a check's, an agent activity's, a short room's stream is
   * done with within a few events), with their hour buckets and room months, and lets go of them.
   */
  private letGoOfIdleStreams(unit: ProjectionUnitOfWork): void {
    if (this.streams.size <= this.heldStreams) return;
    const positions = new Float64Array(this.streams.size);
    let i = 0;
    for (const stream of this.streams.values()) positions[i++] = stream.lastPosition;
    positions.sort();
    const idleBefore = positions[positions.length >> 1]!;
    const idle = new Set<string>();
    for (const [id, stream] of this.streams) {
      if (stream.lastPosition >= idleBefore) continue;
      putOnce(unit, AnalyticsReadModels.streams, stream);
      this.streams.delete(id);
      this.writtenStreams.add(id);
      idle.add(id);
    }
    for (const [id, bucket] of this.buckets.held) {
      if (!idle.has(streamOfBucket(id))) continue;
      putOnce(unit, AnalyticsReadModels.buckets, bucket);
      this.buckets.held.delete(id);
    }
    for (const [id, month] of this.roomMonths.held) {
      if (!idle.has(month.streamId)) continue;
      putOnce(unit, AnalyticsReadModels.roomMonths, month);
      this.roomMonths.held.delete(id);
    }
  }

  /**
   * When more period documents are held than the bound: writes out those of the oldest periods,
   * about half of them, and lets go of them.
   */
  private letGoOfOldPeriods(unit: ProjectionUnitOfWork): void {
    const held = this.buckets.held.size + this.days.held.size + this.roomMonths.held.size;
    if (held <= this.heldPeriodDocuments) return;
    const byEnd = new Map<string, number>();
    const tally = <T>({ held: docs, endOf }: PeriodDocuments<T>): void => {
      for (const doc of docs.values()) {
        const end = endOf(doc);
        byEnd.set(end, (byEnd.get(end) ?? 0) + 1);
      }
    };
    tally(this.buckets);
    tally(this.days);
    tally(this.roomMonths);
    let through = '';
    let counted = 0;
    for (const end of [...byEnd.keys()].sort()) {
      through = end;
      counted += byEnd.get(end)!;
      if (counted >= held / 2) break;
    }
    this.writeOut(unit, this.buckets, through);
    this.writeOut(unit, this.days, through);
    this.writeOut(unit, this.roomMonths, through);
    if (through > this.writtenThrough) this.writtenThrough = through;
    this.lastDay = null;
  }

  /**
   * At the rebuild's end: puts every document still held, once, in id order (the store's id index is
   * appended to), and lets go of them; a unit that can write them meanwhile (`writeLetGo`) does so
   * every FINISH_WRITE_EVERY documents, so that they are not all in memory at once as documents.
   */
  async finish(unit: ProjectionUnitOfWork): Promise<void> {
    let put = 0;
    const putAll = async <T, D extends AnalyticsBucketView | AnalyticsDayView | AnalyticsRoomMonthView | AnalyticsStreamView>(collection: string, held: Map<string, T>, written: (doc: T) => D): Promise<void> => {
      for (const id of [...held.keys()].sort()) {
        putOnce(unit, collection, written(held.get(id)!));
        held.delete(id);
        put += 1;
        if (put % FINISH_WRITE_EVERY === 0) await unit.writeLetGo?.();
      }
    };
    this.lastDay = null;
    await putAll(AnalyticsReadModels.streams, this.streams, (stream) => stream);
    for (const { collection, held, written } of [this.buckets, this.days, this.roomMonths] as PeriodDocuments<unknown, AnalyticsBucketView | AnalyticsDayView | AnalyticsRoomMonthView>[]) {
      await putAll(collection, held, written);
    }
  }

  private countInto(recorded: RecordedEvent, area: string, hour: string, stream: AnalyticsStreamView, day: HeldDay, bucket: AnalyticsBucketView | null, roomMonth: AnalyticsRoomMonthView | null): void {
    const actor = countIntoStreamDocuments(recorded, area, hour, bucket, stream, roomMonth);
    if (this.lastDay !== day) {
      this.lastDay = day;
      this.lastDate = hour.slice(0, 10);
    }
    if (day instanceof RebuiltDay) day.count(hour.slice(11, 13), this.names.types.of(recorded.type), this.names.areas.of(area), this.names.actors.of(actor));
    else countIntoHour(day, hourOfDay(day, hour), recorded.type, area, actor);
  }

  private hold<T>(documents: PeriodDocuments<T>, id: string, doc: T): T {
    documents.held.set(id, doc);
    return doc;
  }

  /** Puts the held documents whose period ends at or before `through` and lets go of them. */
  private writeOut<T, D extends AnalyticsBucketView | AnalyticsDayView | AnalyticsRoomMonthView>(unit: ProjectionUnitOfWork, { collection, held, endOf, written }: PeriodDocuments<T, D>, through: string): void {
    for (const [id, doc] of held) {
      if (endOf(doc) > through) continue;
      putOnce(unit, collection, written(doc));
      held.delete(id);
    }
  }
}
