import { matchPattern } from './pattern.js';
import type { Arns } from './model.js';
import { busNameOf, isBusArn, type Archive, type BusEvent } from './model.js';
import { epochSeconds } from './time.js';
import { notFound, validationError } from './validate.js';

const DAY_MS = 86_400_000;
export const ARCHIVE_STATES = [
  'ENABLED',
  'DISABLED',
  'CREATING',
  'UPDATING',
  'CREATE_FAILED',
  'UPDATE_FAILED',
] as const;

/**
 * Archives keep every event put on their bus that matches their own pattern,
 * with the time the bus received it; replays read them back by that time.
 * AWS implements an archive as a managed rule `Events-Archive-<name>` whose
 * pattern excludes events carrying `replay-name`; here it is internal and
 * ListRules does not show it. The archive actions live in actions/.
 */
export class Archives {
  private readonly byName = new Map<string, Archive>();

  constructor(
    readonly arns: Arns,
    private readonly busExists: (name: string) => boolean,
    readonly now: () => number,
    /** Oldest events are dropped beyond this many per archive, so a long local run stays bounded. */
    private readonly maxEventsPerArchive = 200_000,
  ) {}

  get(name: string): Archive | undefined {
    return this.byName.get(name);
  }

  /** The archive named `name`, or ResourceNotFoundException. */
  require(name: string): Archive {
    const archive = this.byName.get(name);
    if (!archive) throw notFound(`Archive ${name} does not exist.`);
    return archive;
  }

  byArn(arn: string): Archive | undefined {
    const name = /:archive\/(.+)$/.exec(arn)?.[1];
    const archive = name === undefined ? undefined : this.byName.get(name);
    return archive?.arn === arn ? archive : undefined;
  }

  /** Every archive, sorted by name. */
  all(): Archive[] {
    return [...this.byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  add(archive: Archive): void {
    this.byName.set(archive.name, archive);
  }

  remove(name: string): void {
    this.byName.delete(name);
  }

  /** Stores `event` in every archive of `busName` whose pattern matches. Replayed events never reach here. */
  record(busName: string, event: BusEvent, ingestionTime: number): void {
    for (const archive of this.byName.values()) {
      if (archive.busName !== busName) continue;
      if (archive.pattern !== undefined && !safeMatch(archive, event)) continue;
      this.prune(archive);
      const size = Buffer.byteLength(JSON.stringify(event), 'utf8');
      archive.events.push({ ingestionTime, event, size });
      if (archive.events.length > this.maxEventsPerArchive) archive.events.shift();
    }
  }

  /** Archived events with `start <= ingestion time < end`, oldest first. */
  window(archive: Archive, start: number, end: number) {
    this.prune(archive);
    return archive.events.filter((e) => e.ingestionTime >= start && e.ingestionTime < end);
  }

  /** The bus an archive's EventSourceArn names; it must exist in this account and region. */
  sourceBus(arn: string): string {
    if (!isBusArn(arn)) {
      throw validationError(
        `Parameter EventSourceArn is not valid. Reason: Must contain an event bus ARN (received '${arn}').`,
      );
    }
    const busName = busNameOf(arn);
    if (!this.busExists(busName) || this.arns.bus(busName) !== arn) {
      throw notFound(`Event bus ${busName} does not exist.`);
    }
    return busName;
  }

  /** What DescribeArchive and ListArchives show of an archive, after retention is applied. */
  summary(archive: Archive) {
    this.prune(archive);
    return {
      ArchiveName: archive.name,
      EventSourceArn: archive.eventSourceArn,
      State: archive.state,
      RetentionDays: archive.retentionDays,
      SizeBytes: archive.events.reduce((sum, e) => sum + e.size, 0),
      EventCount: archive.events.length,
      CreationTime: epochSeconds(archive.creationTime),
    };
  }

  private prune(archive: Archive): void {
    if (archive.retentionDays <= 0) return;
    const oldest = this.now() - archive.retentionDays * DAY_MS;
    const keepFrom = archive.events.findIndex((e) => e.ingestionTime >= oldest);
    if (keepFrom === -1) archive.events.length = 0;
    else if (keepFrom > 0) archive.events.splice(0, keepFrom);
  }
}

function safeMatch(archive: Archive, event: BusEvent): boolean {
  try {
    return archive.pattern !== undefined && matchPattern(archive.pattern, event);
  } catch {
    return false;
  }
}
