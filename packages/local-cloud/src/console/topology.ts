import type { Deployments } from '../cloudformation/deployments.js';

/** What the console needs of the loaded app: its functions and event-source mappings. */
export interface ConsoleApp {
  readonly functions: readonly {
    readonly config: {
      readonly label: string;
      readonly functionName: string;
      readonly functionArn: string;
    };
  }[];
  readonly mappings: readonly {
    readonly config: {
      readonly eventSourceArn: string;
      readonly functionRef: string;
      readonly onFailureDestination?: string;
    };
  }[];
}

export interface RuleInfo {
  name: string;
  stack: string;
  pattern: Record<string, unknown>;
  /** Its pattern requires `replay-name`: it sees replays only (a read model's rebuild). */
  replayOnly: boolean;
  /** The functions its targets reach: a queue's mapped function, or a function target itself. */
  consumers: string[];
}

export interface HttpEntry {
  routeKey: string;
  functionLabel: string;
}

/**
 * A service lane: the last segment of an event source (`shop.orders` -> `orders`) or of a
 * stack name (`Shop-Orders` -> `orders`), so producers and consumers meet in one lane.
 */
export const laneOf = (name: string): string =>
  name
    .split(/[.\-/]/)
    .filter(Boolean)
    .at(-1)!
    .toLowerCase();
export const laneOfLabel = (label: string): string => laneOf(label.split('/')[0]!);

/** Who consumes what and which functions answer HTTP routes, from the deployed templates. */
export class Topology {
  private app: ConsoleApp | undefined;

  constructor(private readonly deployments: Deployments) {}

  attach(app: ConsoleApp): void {
    this.app = app;
  }

  functions(): { label: string; functionName: string }[] {
    return (this.app?.functions ?? []).map((f) => ({
      label: f.config.label,
      functionName: f.config.functionName,
    }));
  }

  private labelOf(ref: string): string | undefined {
    return this.app?.functions.find(
      (f) =>
        f.config.functionArn === ref ||
        f.config.functionName === ref ||
        new RegExp(`:function:${f.config.functionName}(?:$|[:/])`).test(ref),
    )?.config.label;
  }

  rules(): RuleInfo[] {
    return this.deployments.resources('AWS::Events::Rule').map(({ stack, resource }) => {
      const p = resource.properties;
      const pattern = (
        typeof p['EventPattern'] === 'string'
          ? JSON.parse(p['EventPattern'])
          : (p['EventPattern'] ?? {})
      ) as Record<string, unknown>;
      const targets = (p['Targets'] as { Arn?: string }[] | undefined) ?? [];
      const consumers = targets.flatMap((t) => {
        const arn = String(t.Arn ?? '');
        const direct = this.labelOf(arn);
        if (direct) return [direct];
        return (this.app?.mappings ?? [])
          .filter((m) => m.config.eventSourceArn === arn)
          .map((m) => this.labelOf(m.config.functionRef) ?? m.config.functionRef);
      });
      return {
        name: String(p['Name'] ?? resource.physicalId)
          .split('|')
          .at(-1)!,
        stack: stack.stackName,
        pattern,
        replayOnly: 'replay-name' in pattern,
        consumers,
      };
    });
  }

  /** Rules whose pattern can match an event of this source and detail-type (their other fields aside). */
  consumersOf(source: string, detailType: string): RuleInfo[] {
    const allows = (values: unknown, value: string) =>
      values === undefined ||
      !Array.isArray(values) ||
      values.some((v) => v === value || typeof v !== 'string');
    return this.rules().filter(
      (r) => allows(r.pattern['source'], source) && allows(r.pattern['detail-type'], detailType),
    );
  }

  /** Queues stream mappings send their failed batches to (OnFailure destinations), by the function's label. */
  failureDestinations(): Map<string, string> {
    const out = new Map<string, string>();
    for (const m of this.app?.mappings ?? []) {
      const arn = m.config.onFailureDestination;
      if (arn) out.set(arn, this.labelOf(m.config.functionRef) ?? m.config.functionRef);
    }
    return out;
  }

  /** Functions behind HTTP API routes, with their route keys: calls from outside the bus. */
  httpEntries(): HttpEntry[] {
    const integrations = new Map<string, string>();
    for (const { resource } of this.deployments.resources('AWS::ApiGatewayV2::Integration')) {
      const label = this.labelOf(String(resource.properties['IntegrationUri'] ?? ''));
      if (label) integrations.set(resource.physicalId, label);
    }
    return this.deployments.resources('AWS::ApiGatewayV2::Route').flatMap(({ resource }) => {
      const target = String(resource.properties['Target'] ?? '').replace(/^integrations\//, '');
      const label = integrations.get(target);
      return label
        ? [{ routeKey: String(resource.properties['RouteKey']), functionLabel: label }]
        : [];
    });
  }
}
