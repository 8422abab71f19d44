/** A peer server run as a child process: started, waited for with a deadline, and stopped. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

export interface PeerProcess {
  /** The last few KiB the process printed, to explain a failure. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within 5 s. */
  stop(): Promise<void>;
}

export interface PeerProcessOptions {
  readonly name: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Printed (stdout or stderr) once the server accepts requests. */
  readonly ready: RegExp;
  readonly timeoutMs: number;
}

const KEEP_CHARS = 4096;

/**
 * Runs `node <args>` (this Node, so every engine runs on the same one) and resolves once it
 * prints `ready`; rejects, with what it printed, if it exits or the deadline passes first.
 */
export async function startPeerProcess(opts: PeerProcessOptions): Promise<PeerProcess> {
  const child = spawn(process.execPath, opts.args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  let exited = child.exitCode !== null;
  child.once('exit', () => (exited = true));
  const output = () => tail.trim();
  const stop = async () => {
    if (exited) return;
    const gone = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${opts.name} not ready after ${opts.timeoutMs} ms: ${output()}`)),
        opts.timeoutMs,
      );
      // Read both pipes to the end, also after ready: a full pipe would stall the server.
      const read = (chunk: Buffer) => {
        tail = (tail + chunk.toString('utf8')).slice(-KEEP_CHARS);
        if (opts.ready.test(tail)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`${opts.name} did not start: ${err.message}`));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${opts.name} exited (${signal ?? code}) before ready: ${output()}`));
      });
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { output, stop };
}

/** A loopback port free right now, for servers that cannot listen on port 0 and say which. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP port assigned');
  return address.port;
}
