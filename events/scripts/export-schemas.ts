/**
 * Writes every contract's JSON Schema to events/schemas/ (`npm run schemas`),
 * or with --check verifies the committed files (`npm test`): a breaking change
 * at an unchanged schemaVersion fails, and so does a committed file that is out
 * of date. Old versions' files stay: they are the history replays depend on.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allContracts } from '../catalog.js';
import { breakingChanges } from '../compat.js';
import { jsonSchemaOf, schemaFileName } from '../json-schema.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'schemas');
const check = process.argv.includes('--check');
const problems: string[] = [];
const stale: string[] = [];

mkdirSync(dir, { recursive: true });
for (const contract of allContracts) {
  const file = join(dir, schemaFileName(contract));
  const current = jsonSchemaOf(contract);
  const text = `${JSON.stringify(current, null, 2)}\n`;
  if (existsSync(file)) {
    const committed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    for (const p of breakingChanges(committed, current)) {
      problems.push(`${contract.detailType} v${contract.schemaVersion}: ${p}`);
    }
    if (readFileSync(file, 'utf8') === text) continue;
  }
  if (check) stale.push(schemaFileName(contract));
  else writeFileSync(file, text);
}

if (problems.length > 0) {
  console.error(
    `Breaking event schema changes at an unchanged schemaVersion:\n  ${problems.join('\n  ')}\n` +
      "Bump the contract's schemaVersion (consumers of the old version must keep working: see docs/adr/0003-event-contracts.md), or make the change additive (new optional fields).",
  );
  process.exit(1);
}
if (stale.length > 0) {
  console.error(
    `Committed schemas are out of date: ${stale.join(', ')}.\nThe change is compatible; run \`npm run schemas\` and commit events/schemas/.`,
  );
  process.exit(1);
}
console.log(
  `${allContracts.length} event schemas ${check ? 'checked' : 'written'} in events/schemas/`,
);
