/**
 * Builds a function's bundle the way CDK's NodejsFunction does (`esbuild --bundle`
 * from the project root with the flags it derives from SERVICE_BUNDLING), through
 * esbuild's API so the metafile comes with it.
 */
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { projectRoot } from '../../infra/paths.js';
import { SERVICE_BUNDLING } from '../../infra/constructs/service-function.js';

export interface Entry {
  /** `service/handler`, or `bare client`. */
  name: string;
  path: string;
}

export interface Bundle {
  name: string;
  file: string;
  bytes: number;
  gzipBytes: number;
  mapBytes: number;
  metafile: Metafile;
}

/** Every Lambda entry point: a handlers/ file exporting `handler` (as test/functions/entry-points.test.ts finds them). */
export function functionEntries(): Entry[] {
  const root = join(projectRoot, 'functions');
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((service) => {
      const dir = join(root, service.name, 'handlers');
      return readdirSync(dir)
        .filter((f) => f.endsWith('.ts'))
        .filter((f) => /export const handler\b/.test(readFileSync(join(dir, f), 'utf8')))
        .map((f) => ({ name: `${service.name}/${basename(f, '.ts')}`, path: join(dir, f) }));
    });
}

export const BARE_CLIENT: Entry = {
  name: 'bare client',
  path: join(import.meta.dirname, 'bare-client.ts'),
};

type Bundling = typeof SERVICE_BUNDLING;

/** CDK's mapping of its bundling props to esbuild flags (aws-lambda-nodejs/lib/bundling.ts), for the props we set. */
export function esbuildOptions(
  entry: string,
  outfile: string,
  bundling: Bundling = SERVICE_BUNDLING,
): BuildOptions {
  const b: Partial<Bundling> & Record<string, unknown> = bundling;
  const mode = b.sourceMapMode as string | undefined;
  return {
    absWorkingDir: projectRoot,
    entryPoints: [entry],
    bundle: true,
    outfile,
    platform: 'node',
    target: b.target,
    format: b.format as BuildOptions['format'],
    minify: b.minify ?? false,
    // CDK passes --sourcemap for DEFAULT ('linked'), --sourcemap=<mode> otherwise.
    sourcemap: b.sourceMap
      ? mode === undefined || mode === 'default'
        ? true
        : (mode as 'external')
      : false,
    sourcesContent: b.sourcesContent ?? true,
    external: [...((b.externalModules as string[] | undefined) ?? [])],
    logLevel: (b.logLevel as BuildOptions['logLevel']) ?? 'warning',
    keepNames: (b['keepNames'] as boolean | undefined) ?? false,
    banner: b.banner ? { js: b.banner } : undefined,
    mainFields: b.mainFields as string[] | undefined,
    define: b['define'] as Record<string, string> | undefined,
    metafile: true,
  };
}

/** Builds one entry into `<outDir>/<name>/index.mjs` (CDK's name for ESM output). */
export async function buildBundle(
  entry: Entry,
  outDir: string,
  bundling: Bundling = SERVICE_BUNDLING,
): Promise<Bundle> {
  const file = join(outDir, entry.name.replace(/[^a-z0-9-]+/gi, '_'), 'index.mjs');
  const result = await build(esbuildOptions(entry.path, file, bundling));
  const code = readFileSync(file);
  let mapBytes = 0;
  try {
    mapBytes = statSync(`${file}.map`).size;
  } catch {
    // No map file: source maps off, or inline.
  }
  return {
    name: entry.name,
    file,
    bytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    mapBytes,
    metafile: result.metafile!,
  };
}
