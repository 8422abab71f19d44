import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** What the synthesized app is made from: a change in any of these means synthesizing again. */
const SOURCES = ['infra', 'functions', 'events', 'plumbing'];
const FILES = ['package-lock.json', 'cdk.json', 'tsconfig.json'];
const STAMP = '.shop-synth.json';

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
}

/** A content hash of the app's sources and the synth context. */
export function sourceHash(root: string, context: Record<string, string>): string {
  const files: string[] = [];
  for (const dir of SOURCES) if (existsSync(join(root, dir))) walk(join(root, dir), files);
  for (const file of FILES) if (existsSync(join(root, file))) files.push(join(root, file));
  const hash = createHash('sha256');
  hash.update(JSON.stringify(context));
  for (const file of files.sort()) {
    hash.update(relative(root, file));
    hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}

interface Stamp {
  hash?: string;
  context?: Record<string, string>;
}

/** What the assembly in `outdir` was last synthesized from; undefined if nothing (or torn). */
function readStamp(outdir: string): Stamp | undefined {
  const stampFile = join(outdir, STAMP);
  if (!existsSync(stampFile)) return undefined;
  try {
    return JSON.parse(readFileSync(stampFile, 'utf8')) as Stamp;
  } catch {
    return undefined; // A torn stamp only means synthesizing again.
  }
}

/** The context the assembly in `outdir` was last synthesized with; undefined if none was. */
export function lastSynthContext(outdir: string): Record<string, string> | undefined {
  return readStamp(outdir)?.context;
}

export interface SynthOptions {
  /** The repository root (where cdk.json is). */
  root: string;
  /** The cloud assembly folder to write. */
  outdir: string;
  /** CDK context for this synth, e.g. the payment provider's URL. */
  context: Record<string, string>;
  log?: (line: string) => void;
}

/**
 * Runs `cdk synth` (the pinned CLI, the same command a deploy runs) unless the
 * assembly in `outdir` was made from the same sources and context.
 * Answers whether it synthesized.
 */
export async function synthIfChanged(options: SynthOptions): Promise<boolean> {
  const log = options.log ?? (() => undefined);
  const hash = sourceHash(options.root, options.context);
  const stampFile = join(options.outdir, STAMP);
  if (
    existsSync(join(options.outdir, 'manifest.json')) &&
    readStamp(options.outdir)?.hash === hash
  ) {
    log(`cdk.out is up to date (${relative(options.root, options.outdir) || '.'})`);
    return false;
  }
  const started = Date.now();
  log('synthesizing the CDK app (sources changed)...');
  const cli = join(options.root, 'node_modules', '.bin', 'cdk');
  const args = ['synth', '--quiet', '--output', options.outdir];
  for (const [key, value] of Object.entries(options.context)) args.push('-c', `${key}=${value}`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(cli, args, { cwd: options.root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (error) =>
      reject(new Error(`Could not run ${cli} (${error.message}); run \`npm ci\` first.`)),
    );
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`cdk synth failed (exit ${code}):\n${output.slice(-4000)}`)),
    );
  });
  writeFileSync(stampFile, JSON.stringify({ hash, context: options.context }, null, 2));
  log(`synthesized in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}
