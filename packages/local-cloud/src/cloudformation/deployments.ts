/**
 * The stacks the local cloud has deployed, as its read APIs (CloudFormation,
 * API Gateway v2, Schemas) see them. An app loaded on the cloud attaches its
 * stacks and detaches them when it stops.
 */
import type { DeployedResource, DeployedStack } from '../app/template/deploy.js';

export type { DeployedResource, DeployedStack };

export class Deployments {
  private readonly sources = new Set<() => readonly DeployedStack[]>();

  /** Returns the function that detaches them. */
  attach(stacks: () => readonly DeployedStack[]): () => void {
    this.sources.add(stacks);
    return () => this.sources.delete(stacks);
  }

  stacks(): DeployedStack[] {
    return [...this.sources].flatMap((s) => s());
  }

  /** Every deployed resource of a type, with its stack. */
  resources(type: string): { stack: DeployedStack; resource: DeployedResource }[] {
    return this.stacks().flatMap((stack) =>
      Object.values(stack.resources)
        .filter((r) => r.type === type)
        .map((resource) => ({ stack, resource })),
    );
  }
}
