/**
 * Reads a synthesized CDK cloud assembly (`cdk.out`): the stacks, their
 * templates and their file assets, in the order CloudFormation deploys them.
 * Nested assemblies (CDK Stages) are followed.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { TemplateError } from './intrinsics.js';

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | readonly string[];
  readonly Condition?: string;
  readonly Metadata?: Record<string, unknown>;
}

export interface TemplateOutput {
  readonly Value: unknown;
  readonly Export?: { readonly Name: unknown };
  readonly Condition?: string;
  readonly Description?: string;
}

export interface Template {
  readonly Description?: string;
  readonly Parameters?: Record<string, { readonly Type: string; readonly Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  readonly Resources?: Record<string, TemplateResource>;
  readonly Outputs?: Record<string, TemplateOutput>;
}

export interface StackArtifact {
  /** The artifact id in the manifest (unique within the assembly). */
  readonly artifactId: string;
  /** The CloudFormation stack name. */
  readonly stackName: string;
  readonly template: Template;
  /** Parameter values the app set at synth time (rare; defaults fill the rest). */
  readonly parameters: Record<string, string>;
  /** Stacks (by artifact id) this one depends on. */
  readonly dependencies: readonly string[];
  /** File assets by S3 object key (as the template's `S3Key`), to their folder or file on disk. */
  readonly assets: ReadonlyMap<string, string>;
}

interface ManifestArtifact {
  type: string;
  properties?: {
    templateFile?: string;
    stackName?: string;
    parameters?: Record<string, string>;
    file?: string;
    directoryName?: string;
  };
  dependencies?: string[];
  displayName?: string;
}

interface AssetManifest {
  files?: Record<
    string,
    {
      source: { path?: string; packaging?: string; executable?: string[] };
      destinations: Record<string, { objectKey: string }>;
    }
  >;
  dockerImages?: Record<string, unknown>;
}

function readJson<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (e) {
    throw new TemplateError(`cannot read ${file}: ${(e as Error).message}`);
  }
}

/** All stacks of the assembly in `dir`, dependencies before dependants. */
export function readAssembly(dir: string): StackArtifact[] {
  const root = resolvePath(dir);
  const manifestFile = join(root, 'manifest.json');
  if (!existsSync(manifestFile))
    throw new TemplateError(
      `no cloud assembly at ${root} (manifest.json is missing): run \`npx cdk synth\` first`,
    );
  const stacks: StackArtifact[] = [];
  collect(root, stacks);
  return order(stacks);
}

function collect(dir: string, into: StackArtifact[]): void {
  const manifest = readJson<{ artifacts?: Record<string, ManifestArtifact> }>(
    join(dir, 'manifest.json'),
  );
  const artifacts = manifest.artifacts ?? {};
  for (const [id, artifact] of Object.entries(artifacts)) {
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      collect(join(dir, artifact.properties.directoryName), into);
      continue;
    }
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const templateFile = artifact.properties?.templateFile;
    if (!templateFile) throw new TemplateError(`stack ${id} in ${dir} has no templateFile`);
    const assets = new Map<string, string>();
    for (const dep of artifact.dependencies ?? []) {
      const depArtifact = artifacts[dep];
      if (depArtifact?.type === 'cdk:asset-manifest' && depArtifact.properties?.file)
        readAssets(dir, join(dir, depArtifact.properties.file), assets);
    }
    into.push({
      artifactId: id,
      stackName: artifact.properties?.stackName ?? id,
      template: readJson<Template>(join(dir, templateFile)),
      parameters: artifact.properties?.parameters ?? {},
      dependencies: (artifact.dependencies ?? []).filter(
        (d) => artifacts[d]?.type === 'aws:cloudformation:stack',
      ),
      assets,
    });
  }
}

function readAssets(dir: string, file: string, into: Map<string, string>): void {
  const manifest = readJson<AssetManifest>(file);
  for (const [hash, asset] of Object.entries(manifest.files ?? {})) {
    if (!asset.source.path) continue; // assets built by a command have no folder we can run
    const path = join(dir, asset.source.path);
    into.set(hash, path);
    for (const d of Object.values(asset.destinations)) into.set(d.objectKey, path);
  }
}

/** Topological order; a cycle is an error naming the stacks in it. */
function order(stacks: StackArtifact[]): StackArtifact[] {
  const byId = new Map(stacks.map((s) => [s.artifactId, s]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: StackArtifact[] = [];
  const visit = (s: StackArtifact, trail: string[]) => {
    if (done.has(s.artifactId)) return;
    if (visiting.has(s.artifactId))
      throw new TemplateError(
        `stacks depend on each other in a cycle: ${[...trail, s.artifactId].join(' -> ')}`,
      );
    visiting.add(s.artifactId);
    for (const d of s.dependencies) {
      const dep = byId.get(d);
      if (dep) visit(dep, [...trail, s.artifactId]);
    }
    visiting.delete(s.artifactId);
    done.add(s.artifactId);
    out.push(s);
  };
  for (const s of stacks) visit(s, []);
  return out;
}
