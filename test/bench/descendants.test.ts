import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { descendantCpuMs } from '@shop/local-cloud/bench';

const hasProc = existsSync('/proc/self/stat');

describe.runIf(hasProc)('descendantCpuMs', () => {
  it('counts the CPU a child process has burnt, and nothing for a command no child runs', async () => {
    // `yes` spins on a core for as long as it runs; it is read while it still runs.
    const child = spawn('yes', [], { stdio: 'ignore' });
    const started = Date.now();
    try {
      await new Promise((r) => setTimeout(r, 600));
      const ms = descendantCpuMs('yes');
      // At most the time it has run; at least a quarter of it, even on a busy machine (ticks read as ms would be a tenth).
      expect(ms).toBeGreaterThanOrEqual(150);
      expect(ms).toBeLessThanOrEqual(Date.now() - started + 20);
      expect(descendantCpuMs('no-such-command')).toBeUndefined();
    } finally {
      child.kill();
    }
  });
});
