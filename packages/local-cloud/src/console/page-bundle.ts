import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const PAGE_DIR = join(import.meta.dirname, 'page');

/**
 * The page's script, bundled from `page/` with preact and htm from node_modules the first time
 * the console is opened: nothing is fetched from a CDN, so it works with no internet.
 */
export async function bundlePage(): Promise<{ js: string; css: string; html: string }> {
  const out = await build({
    entryPoints: [join(PAGE_DIR, 'main.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  return {
    js: out.outputFiles[0]!.text,
    css: readFileSync(join(PAGE_DIR, 'styles.css'), 'utf8'),
    html: readFileSync(join(PAGE_DIR, 'index.html'), 'utf8'),
  };
}
