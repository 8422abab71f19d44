/**
 * Lays out a function's code like a Lambda sandbox: the asset copied to
 * `<dir>/task` (AWS: /var/task) and the modules the runtime provides (the AWS
 * SDK v3 that NodejsFunction leaves out of its bundles, Powertools if a layer
 * would bring it) reachable from `<dir>/node_modules` (AWS: /var/runtime).
 * Node resolves a bare import by walking up from the importing file, so the
 * task's own node_modules win and the runtime's come next, as in AWS.
 */
import { cpSync, existsSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';

/** The node_modules folder holding the AWS SDK this project installed. */
export function defaultRuntimeModules(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@aws-sdk/client-dynamodb');
  const marker = `${sep}node_modules${sep}`;
  const i = entry.lastIndexOf(marker);
  if (i < 0)
    throw new Error(`cannot find the node_modules folder of @aws-sdk/client-dynamodb (${entry})`);
  return entry.slice(0, i + marker.length - 1);
}

export interface TaskRootSource {
  /** An asset folder from cdk.out. */
  readonly assetDir?: string;
  /** Inline code (`Code.ZipFile`), written as index.js as CloudFormation does. */
  readonly inlineCode?: string;
}

/** Creates `<dir>/task` and `<dir>/node_modules`; returns the task folder. */
export function prepareTaskRoot(
  dir: string,
  source: TaskRootSource,
  runtimeModules: string,
): string {
  const task = join(dir, 'task');
  mkdirSync(task, { recursive: true });
  if (source.assetDir) {
    if (!existsSync(source.assetDir))
      throw new Error(
        `asset ${source.assetDir} does not exist: synthesize the app again (npx cdk synth)`,
      );
    if (!statSync(source.assetDir).isDirectory())
      throw new Error(
        `asset ${source.assetDir} is a file (a prebuilt zip?); the local cloud runs folder assets only`,
      );
    cpSync(source.assetDir, task, { recursive: true });
  } else if (source.inlineCode !== undefined) {
    writeFileSync(join(task, 'index.js'), source.inlineCode);
  }
  const modules = join(dir, 'node_modules');
  if (!existsSync(modules)) {
    mkdirSync(dirname(modules), { recursive: true });
    symlinkSync(runtimeModules, modules, 'dir');
  }
  return task;
}
