/**
 * The local console: a page at `/_console/` on the edge that shows the choreography as it
 * happens (bus events live, an order's journey across the services, queues and dead letters,
 * functions, the event catalog, the fault plan). Its JSON API is under `/_console/api/`; the
 * live stream is server-sent events at `/_console/api/stream`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BatchFailure } from '../app/esm/sqs.js';
import type { InvocationSummary } from '../app/lambda/invocation-log.js';
import type { Deployments } from '../cloudformation/deployments.js';
import type { Recorder } from '../core/types.js';
import type { StreamingService } from '../edge/server.js';
import type { FaultInjector } from '../faults/plan.js';
import type { LogStore } from '../logs/store.js';
import type { SqsService } from '../sqs/service.js';
import { catalog } from './catalog.js';
import { FailureReasons } from './failure-reasons.js';
import { FunctionWindow } from './function-window.js';
import { consoleEvent, journeyOf } from './journey.js';
import { BACKLOG, LiveFeed } from './live-feed.js';
import { bundlePage } from './page-bundle.js';
import { ConsoleError, ConsoleQueues } from './queues.js';
import { RecentInvocations } from './recent-invocations.js';
import { Topology, type ConsoleApp } from './topology.js';

export type { ConsoleApp } from './topology.js';

/** How often the page gets queue, function and fault figures. */
const STATS_EVERY_MS = 1_000;

export interface ConsoleDeps {
  endpoint: string;
  recorder: Recorder;
  sqs: SqsService;
  logs: LogStore;
  deployments: Deployments;
  faults: FaultInjector;
}

/** What a host (the app loader, the shop's harness) tells the console. */
export interface ConsoleHost {
  /** The console's URL, e.g. http://127.0.0.1:4566/_console/. */
  readonly url: string;
  /** One finished invocation (the app loader calls it for every function). */
  recordInvocation(summary: InvocationSummary): void;
  /** An SQS batch that failed as a whole (the app loader's pollers call it). */
  recordBatchFailure(failure: BatchFailure): void;
  /** The loaded app's functions and mappings, for consumers and HTTP entry points. */
  attachApp(app: ConsoleApp): void;
  /** Where an order's current state comes from (the host's read model), by correlation id. */
  setJourneyState(read: (correlationId: string) => Promise<unknown>): void;
}

export class LocalConsole implements StreamingService, ConsoleHost {
  readonly url: string;
  private readonly feed = new LiveFeed();
  private readonly reasons: FailureReasons;
  private readonly queues: ConsoleQueues;
  private readonly topology: Topology;
  private readonly window = new FunctionWindow();
  private readonly invocations = new RecentInvocations();
  private readonly backlog: { event: string; data: unknown }[] = [];
  private readonly stopFns: (() => void)[] = [];
  private page: ReturnType<typeof bundlePage> | undefined;
  private journeyState: ((correlationId: string) => Promise<unknown>) | undefined;
  private ticker: NodeJS.Timeout | undefined;

  constructor(private readonly deps: ConsoleDeps) {
    this.url = `${deps.endpoint}/_console/`;
    this.reasons = new FailureReasons(deps.logs);
    this.topology = new Topology(deps.deployments);
    this.queues = new ConsoleQueues(deps.sqs, this.reasons, () =>
      this.topology.failureDestinations(),
    );
    const unsubscribe = deps.recorder.subscribe?.((e) => {
      const data = consoleEvent(e);
      this.remember('bus', data);
      this.feed.send('bus', data);
    });
    if (unsubscribe) this.stopFns.push(unsubscribe);
    this.stopFns.push(() => this.reasons.stop());
  }

  recordInvocation(summary: InvocationSummary): void {
    this.window.record(summary);
    const r = this.invocations.record(summary);
    this.feed.send('invocation', r);
  }

  recordBatchFailure(failure: BatchFailure): void {
    this.reasons.batchFailed(failure.messageIds, failure.functionLabel, failure.reason);
  }

  attachApp(app: ConsoleApp): void {
    this.topology.attach(app);
  }

  setJourneyState(read: (correlationId: string) => Promise<unknown>): void {
    this.journeyState = read;
  }

  claims(req: IncomingMessage): boolean {
    const path = (req.url ?? '/').split('?')[0]!;
    return path === '/_console' || path.startsWith('/_console/');
  }

  async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://console');
    try {
      await this.route(req, res, url);
    } catch (error) {
      const status = error instanceof ConsoleError ? error.status : 500;
      json(res, status, { message: (error as Error).message });
    }
  }

  stop(): void {
    clearInterval(this.ticker);
    for (const s of this.stopFns.splice(0)) s();
    this.feed.close();
  }

  private async route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path === '/_console') return redirect(res, '/_console/');
    if (method === 'GET' && path === '/_console/') {
      return send(res, 200, 'text/html; charset=utf-8', (await this.bundle()).html);
    }
    if (method === 'GET' && path === '/_console/main.js') {
      return send(res, 200, 'text/javascript; charset=utf-8', (await this.bundle()).js);
    }
    if (method === 'GET' && path === '/_console/styles.css') {
      return send(res, 200, 'text/css; charset=utf-8', (await this.bundle()).css);
    }
    if (method === 'GET' && path === '/_console/api/stream') {
      this.feed.add(res, [...this.backlog, { event: 'stats', data: this.stats() }]);
      this.startTicking();
      return;
    }
    if (method === 'GET' && path === '/_console/api/stats') return json(res, 200, this.stats());
    if (method === 'GET' && path === '/_console/api/events') {
      const correlationId = url.searchParams.get('correlationId') ?? undefined;
      const events = this.deps.recorder
        .events(correlationId ? { correlationId } : {})
        .slice(-BACKLOG);
      return json(res, 200, { events: events.map(consoleEvent) });
    }
    if (method === 'GET' && path === '/_console/api/catalog') {
      return json(res, 200, {
        contracts: catalog(this.deps.deployments, this.topology, this.deps.recorder),
      });
    }
    const journey = /^\/_console\/api\/journeys\/([^/]+)$/.exec(path);
    if (method === 'GET' && journey) {
      return json(
        res,
        200,
        await journeyOf(decodeURIComponent(journey[1]!), {
          recorder: this.deps.recorder,
          topology: this.topology,
          invocations: this.invocations,
          queues: this.queues,
          state: this.journeyState,
        }),
      );
    }
    const messages = /^\/_console\/api\/queues\/([^/]+)\/messages$/.exec(path);
    if (method === 'GET' && messages) {
      return json(res, 200, { messages: this.queues.messages(decodeURIComponent(messages[1]!)) });
    }
    const redrive = /^\/_console\/api\/queues\/([^/]+)\/redrive$/.exec(path);
    if (method === 'POST' && redrive) {
      const outcome = await this.queues.redrive(decodeURIComponent(redrive[1]!));
      this.feed.send('stats', this.stats());
      return json(res, 200, outcome);
    }
    throw new ConsoleError(
      404,
      `No console resource ${method} ${path}; the page is at /_console/ and its API under /_console/api/ (stream, stats, events, catalog, journeys/{id}, queues/{name}/messages, queues/{name}/redrive).`,
    );
  }

  private stats() {
    return {
      at: new Date().toISOString(),
      queues: this.queues.list(),
      functions: this.window.figures(this.topology.functions()),
      faults: {
        enabled: this.deps.faults.enabled(),
        plan: this.deps.faults.plan(),
        injected: this.deps.faults.stats(),
      },
    };
  }

  /** Ticks only while a page is connected. */
  private startTicking(): void {
    if (this.ticker) return;
    this.ticker = setInterval(() => {
      if (this.feed.size === 0) {
        clearInterval(this.ticker);
        this.ticker = undefined;
        return;
      }
      this.feed.send('stats', this.stats());
    }, STATS_EVERY_MS);
    this.ticker.unref();
  }

  private remember(event: string, data: unknown): void {
    this.backlog.push({ event, data });
    if (this.backlog.length > BACKLOG) this.backlog.splice(0, this.backlog.length - BACKLOG);
  }

  private bundle() {
    this.page ??= bundlePage().catch((error: unknown) => {
      this.page = undefined;
      throw error;
    });
    return this.page;
  }
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  if (res.headersSent) return void res.end();
  send(res, status, 'application/json', JSON.stringify(value));
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location });
  res.end();
}
