import type { Deployments } from '../cloudformation/deployments.js';
import type { Recorder } from '../core/types.js';
import type { Topology } from './topology.js';

export interface CatalogEntry {
  source: string;
  detailType: string;
  /** The envelope's `metadata.schemaVersion` the schema allows (its enum), when it has one. */
  schemaVersions: number[];
  description?: string;
  registry: string;
  schemaName: string;
  /** The JSON Schema, parsed. */
  schema: unknown;
  producer: string;
  consumers: { rule: string; stack: string; functions: string[]; replayOnly: boolean }[];
  /** The latest event of this type the bus recorded, if any. */
  example?: Record<string, unknown>;
}

/**
 * The event catalog from what was deployed: each schema of the stacks' schema registries
 * (`<source>@<DetailType>`, as EventBridge names discovered schemas), its consumers from the
 * rules, and an example from the events the bus recorded.
 */
export function catalog(
  deployments: Deployments,
  topology: Topology,
  recorder: Recorder,
): CatalogEntry[] {
  const examples = new Map<string, Record<string, unknown>>();
  for (const e of recorder.events()) {
    examples.set(`${String(e.event['source'])}@${String(e.event['detail-type'])}`, e.event);
  }
  return deployments
    .resources('AWS::EventSchemas::Schema')
    .map(({ resource }) => {
      const p = resource.properties;
      const schemaName = String(p['SchemaName'] ?? resource.physicalId);
      const at = schemaName.lastIndexOf('@');
      const source = at > 0 ? schemaName.slice(0, at) : '';
      const detailType = at > 0 ? schemaName.slice(at + 1) : schemaName;
      const schema = parse(p['Content']);
      return {
        source,
        detailType,
        schemaVersions: versionsOf(schema),
        ...(typeof p['Description'] === 'string' && { description: p['Description'] }),
        registry: String(p['RegistryName'] ?? ''),
        schemaName,
        schema,
        producer: source,
        consumers: topology.consumersOf(source, detailType).map((r) => ({
          rule: r.name,
          stack: r.stack,
          functions: r.consumers,
          replayOnly: r.replayOnly,
        })),
        ...(examples.has(schemaName) && { example: examples.get(schemaName) }),
      };
    })
    .sort((a, b) => a.source.localeCompare(b.source) || a.detailType.localeCompare(b.detailType));
}

function parse(content: unknown): unknown {
  if (typeof content !== 'string') return content;
  try {
    return JSON.parse(content);
  } catch {
    return content;
  }
}

function versionsOf(schema: unknown): number[] {
  const v = (
    schema as {
      properties?: { metadata?: { properties?: { schemaVersion?: { enum?: unknown } } } };
    }
  )?.properties?.metadata?.properties?.schemaVersion?.enum;
  return Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : [];
}
