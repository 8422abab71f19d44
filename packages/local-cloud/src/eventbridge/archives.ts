import { matchPattern, parsePattern } from './pattern.js';
import type { Arns } from './model.js';
import { busNameOf, isBusArn, type Archive, type BusEvent } from './model.js';
import { paginate } from './paging.js';
import { epochSeconds } from './time.js';
import {
  alreadyExists,
  Constraints,
  listFilters,
  NAME_PATTERN,
  NAME_PATTERN_TEXT,
  notFound,
  optNumber,
  optString,
  type Input,
  validationError,
} from './validate.js';

const DAY_MS = 86_400_000;
const ARCHIVE_STATES = [
  'ENABLED',
  'DISABLED',
  'CREATING',
  'UPDATING',
  'CREATE_FAILED',
  'UPDATE_FAILED',
];

/**
 * Archives keep every event put on their bus that matches their own pattern,
 * with the time the bus received it; replays read them back by that time.
 * AWS implements an archive as a managed rule `Events-Archive-<name>` whose
 * pattern excludes events carrying `replay-name`; here it is internal and
 * ListRules does not show it.
 */
export class Archives {
  private readonly byName = new Map<string, Archive>();

  constructor(
    private readonly arns: Arns,
    private readonly busExists: (name: string) => boolean,
    private readonly now: () => number,
    /** Oldest events are dropped beyond this many per archive, so a long local run stays bounded. */
    private readonly maxEventsPerArchive = 200_000,
  ) {}

  get(name: string): Archive | undefined {
    return this.byName.get(name);
  }

  byArn(arn: string): Archive | undefined {
    const name = /:archive\/(.+)$/.exec(arn)?.[1];
    const archive = name === undefined ? undefined : this.byName.get(name);
    return archive?.arn === arn ? archive : undefined;
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

  create(input: Input) {
    const name = optString(input, 'ArchiveName');
    const source = optString(input, 'EventSourceArn');
    const description = optString(input, 'Description');
    const retentionDays = optNumber(input, 'RetentionDays');
    const eventPattern = optString(input, 'EventPattern');
    new Constraints()
      .required(name, 'archiveName')
      .length(name, 'archiveName', 1, 48)
      .pattern(name, 'archiveName', NAME_PATTERN, NAME_PATTERN_TEXT)
      .required(source, 'eventSourceArn')
      .length(source, 'eventSourceArn', 1, 1600)
      .length(description, 'description', 0, 512)
      .range(retentionDays, 'retentionDays', 0, Number.MAX_SAFE_INTEGER)
      .check();
    if (this.byName.has(name!)) throw alreadyExists(`Archive ${name} already exists.`);
    const busName = this.sourceBus(source!);
    const archive: Archive = {
      name: name!,
      arn: this.arns.archive(name!),
      eventSourceArn: source!,
      busName,
      state: 'ENABLED',
      retentionDays: retentionDays ?? 0,
      creationTime: this.now(),
      events: [],
    };
    if (description !== undefined) archive.description = description;
    if (eventPattern !== undefined) {
      archive.pattern = parsePattern(eventPattern);
      archive.eventPattern = eventPattern;
    }
    this.byName.set(archive.name, archive);
    return {
      ArchiveArn: archive.arn,
      State: archive.state,
      CreationTime: epochSeconds(archive.creationTime),
    };
  }

  describe(input: Input) {
    const archive = this.require(input);
    this.prune(archive);
    return {
      ArchiveArn: archive.arn,
      ArchiveName: archive.name,
      EventSourceArn: archive.eventSourceArn,
      ...(archive.description !== undefined && { Description: archive.description }),
      ...(archive.eventPattern !== undefined && { EventPattern: archive.eventPattern }),
      State: archive.state,
      RetentionDays: archive.retentionDays,
      SizeBytes: sizeOf(archive),
      EventCount: archive.events.length,
      CreationTime: epochSeconds(archive.creationTime),
    };
  }

  update(input: Input) {
    const description = optString(input, 'Description');
    const retentionDays = optNumber(input, 'RetentionDays');
    const eventPattern = optString(input, 'EventPattern');
    // AWS checks this before it looks the archive up.
    if (description === undefined && retentionDays === undefined && eventPattern === undefined) {
      throw validationError(
        'At least one of EventPattern, RetentionDays or Description must be provided.',
      );
    }
    const archive = this.require(input);
    new Constraints()
      .length(description, 'description', 0, 512)
      .range(retentionDays, 'retentionDays', 0, Number.MAX_SAFE_INTEGER)
      .check();
    if (eventPattern !== undefined) {
      archive.pattern = parsePattern(eventPattern);
      archive.eventPattern = eventPattern;
    }
    if (description !== undefined) archive.description = description;
    if (retentionDays !== undefined) archive.retentionDays = retentionDays;
    return {
      ArchiveArn: archive.arn,
      State: archive.state,
      CreationTime: epochSeconds(archive.creationTime),
    };
  }

  delete(input: Input) {
    const archive = this.require(input);
    this.byName.delete(archive.name);
    return {};
  }

  list(input: Input) {
    const { prefix, source, state } = listFilters(input, 'ListArchives', ARCHIVE_STATES);
    if (source !== undefined) this.sourceBus(source);
    const archives = [...this.byName.values()]
      .filter((a) => prefix === undefined || a.name.startsWith(prefix))
      .filter((a) => source === undefined || a.eventSourceArn === source)
      .filter((a) => state === undefined || a.state === state)
      .sort((a, b) => a.name.localeCompare(b.name));
    const page = paginate(archives, input);
    return {
      Archives: page.items.map((archive) => {
        this.prune(archive);
        return {
          ArchiveName: archive.name,
          EventSourceArn: archive.eventSourceArn,
          State: archive.state,
          RetentionDays: archive.retentionDays,
          SizeBytes: sizeOf(archive),
          EventCount: archive.events.length,
          CreationTime: epochSeconds(archive.creationTime),
        };
      }),
      ...(page.nextToken !== undefined && { NextToken: page.nextToken }),
    };
  }

  private require(input: Input): Archive {
    const name = optString(input, 'ArchiveName');
    new Constraints()
      .required(name, 'archiveName')
      .length(name, 'archiveName', 1, 48)
      .pattern(name, 'archiveName', NAME_PATTERN, NAME_PATTERN_TEXT)
      .check();
    const archive = this.byName.get(name!);
    if (!archive) throw notFound(`Archive ${name} does not exist.`);
    return archive;
  }

  private sourceBus(arn: string): string {
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

  private prune(archive: Archive): void {
    if (archive.retentionDays <= 0) return;
    const oldest = this.now() - archive.retentionDays * DAY_MS;
    const keepFrom = archive.events.findIndex((e) => e.ingestionTime >= oldest);
    if (keepFrom === -1) archive.events.length = 0;
    else if (keepFrom > 0) archive.events.splice(0, keepFrom);
  }
}

function sizeOf(archive: Archive): number {
  return archive.events.reduce((sum, e) => sum + e.size, 0);
}

function safeMatch(archive: Archive, event: BusEvent): boolean {
  try {
    return archive.pattern !== undefined && matchPattern(archive.pattern, event);
  } catch {
    return false;
  }
}
