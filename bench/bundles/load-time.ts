/**
 * How long a bundle takes to load: a fresh `node` process imports it and reports the import's
 * own duration (process start excluded), as a Lambda cold start loads the handler module.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';

const run = promisify(execFile);

/** What a function's module reads at load in Lambda; none of it is called at import. */
const LAMBDA_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_LAMBDA_FUNCTION_NAME: 'bundle-load',
  POWERTOOLS_SERVICE_NAME: 'bundle-load',
  POWERTOOLS_METRICS_NAMESPACE: 'Bench',
};

const PROBE = `const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));`;

/** Milliseconds to import `file` in a new process, with or without `--enable-source-maps`. */
export async function loadMs(file: string, sourceMaps = false): Promise<number> {
  const { stdout } = await run(
    process.execPath,
    [
      ...(sourceMaps ? ['--enable-source-maps'] : []),
      '--input-type=module',
      '-e',
      PROBE,
      pathToFileURL(file).href,
    ],
    { env: { PATH: process.env['PATH'] ?? '', ...LAMBDA_ENV }, timeout: 30_000 },
  );
  const ms = Number(stdout);
  if (!Number.isFinite(ms))
    throw new Error(`Loading ${file} printed ${JSON.stringify(stdout)}, not a time.`);
  return ms;
}
