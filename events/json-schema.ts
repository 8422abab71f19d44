import * as z from 'zod';
import type { EventContract } from './contract.js';

/**
 * The contract's `detail` as JSON Schema draft 4, the dialect the EventBridge
 * schema registry accepts (`JSONSchemaDraft4`). Generated from the zod schema,
 * never written by hand, so the registry and the code cannot disagree.
 */
export function jsonSchemaOf(contract: EventContract): Record<string, unknown> {
  const detail = z.toJSONSchema(contract.detailSchema, { target: 'draft-4', io: 'input' });
  return {
    ...detail,
    title: contract.detailType,
    description: contract.description,
    'x-event': {
      source: contract.source,
      detailType: contract.detailType,
      schemaVersion: contract.schemaVersion,
    },
  };
}

/** File name of a contract's committed schema: one file per event and version. */
export function schemaFileName(contract: EventContract): string {
  return `${contract.detailType}.v${contract.schemaVersion}.json`;
}
