import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildShop, serviceStacks, type ShopStacks } from '../../../infra/shop.js';
import type { ServiceStack } from '../../../infra/stacks/service-stack.js';

export interface SynthesizedShop {
  stacks: ShopStacks;
  services: ServiceStack[];
  /** By stack name (`Shop-Orders`, ...). */
  templates: Map<string, Template>;
  template(stack: { stackName: string }): Template;
}

/**
 * The whole app, synthesized once per test file. Bundling is skipped (the
 * templates do not depend on the bundles' contents, and esbuild over ~20
 * functions is what makes `cdk synth` slow); bundling is tested on its own.
 * CDK's built-in CloudFormation validation runs, and any rule it breaks fails
 * the synth instead of printing a warning.
 */
export function synthShop(context: Record<string, unknown> = {}): SynthesizedShop {
  const app = new App({
    context: {
      'aws:cdk:bundling-stacks': [],
      '@aws-cdk/core:validateAgainstDefaultRules': true,
      ...context,
    },
  });
  const stacks = buildShop(app);
  const all = Object.values(stacks);
  const templates = new Map(all.map((s) => [s.stackName, Template.fromStack(s)] as const));
  return {
    stacks,
    services: serviceStacks(stacks),
    templates,
    template: (stack) => {
      const t = templates.get(stack.stackName);
      if (!t) throw new Error(`No template for ${stack.stackName}`);
      return t;
    },
  };
}
