import { parseArgs, type ParseArgsConfig } from 'node:util';
import { pathToFileURL } from 'node:url';
import type { Readable } from 'node:stream';

/** Where a CLI writes: process streams when run, captured buffers in tests. */
export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Io {
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  readonly stdin: Readable & { isTTY?: boolean };
  /** Environment variables the CLI reads (AWS_ENDPOINT_URL, AWS_PROFILE, AWS_REGION...). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted on the first Ctrl-C: long work stops cleanly (cancels, cleans up) when it sees it. */
  readonly signal?: AbortSignal;
  /** Pause between polls of long-running work; tests shorten it. Default: 250 ms local, 2 s AWS. */
  readonly pollMs?: number;
}

export type Main = (argv: readonly string[], io: Io) => Promise<number>;

/** Exit codes: 0 ok, 1 failure, 2 usage (bad flags or arguments). */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

/** A failure to report to the operator: the message says what was wrong and what to do. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.usage);
    this.name = 'UsageError';
  }
}

/** The flags every CLI takes, spelled as the AWS CLI spells them. */
export const COMMON_OPTIONS = {
  'endpoint-url': { type: 'string' },
  profile: { type: 'string' },
  region: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

export const COMMON_HELP = `Where (as the AWS CLI takes them):
  --endpoint-url URL   Endpoint of every service, e.g. the local cloud's http://127.0.0.1:4566
                       (default: AWS_ENDPOINT_URL, else AWS's own endpoints)
  --profile NAME       Named profile from ~/.aws/config and ~/.aws/credentials (default: AWS_PROFILE)
  --region R           Region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's, or the local cloud's)
Output:
  --json               Machine-readable JSON on stdout; messages and progress stay on stderr
  -h, --help           This help
Exit codes: 0 ok, 1 failure, 2 usage error.`;

/** node's parseArgs, with its errors turned into usage errors naming the help. */
export function parse<O extends NonNullable<ParseArgsConfig['options']>>(
  argv: readonly string[],
  options: O,
  command: string,
) {
  try {
    return parseArgs({
      args: joinDashValues(argv, options),
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nRun '${command} --help' for the options.`);
  }
}

/**
 * parseArgs refuses `--from -2h` (a value that looks like an option); the
 * relative times the CLIs document start with a dash and a digit, so such a
 * value is joined to its string option (`--from=-2h`) first.
 */
function joinDashValues(
  argv: readonly string[],
  options: NonNullable<ParseArgsConfig['options']>,
): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** Writes a line; the CLIs print nothing else to stdout but their result. */
export function println(stream: OutStream, text = ''): void {
  stream.write(`${text}\n`);
}

export function printJson(io: Io, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Runs `fn`, turning any error into a printed message and an exit code. */
export async function guarded(io: Io, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CliError) {
      println(io.stderr, `error: ${err.message}`);
      return err.exitCode;
    }
    const e = err as Error;
    println(io.stderr, `error: ${e.name ?? 'Error'}: ${e.message}`);
    if (io.env['OPS_DEBUG']) println(io.stderr, e.stack ?? '');
    return EXIT.failure;
  }
}

/** The real process's streams; the first Ctrl-C aborts `signal`, the second quits at once. */
export function processIo(): Io {
  const controller = new AbortController();
  process.on('SIGINT', () => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    process.stderr.write('\nInterrupted: stopping cleanly (Ctrl-C again to quit at once).\n');
    controller.abort();
  });
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    signal: controller.signal,
  };
}

/** True when `moduleUrl` is the script node was started with (so `tsx ops/x.ts` runs main). */
export function isEntryPoint(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && pathToFileURL(script).href === moduleUrl;
}

export async function runAsScript(main: Main): Promise<void> {
  process.exitCode = await main(process.argv.slice(2), processIo());
}
