/**
 * cdk-nag's AwsSolutions and Serverless packs over the whole app: every
 * finding, error or warning, is either fixed or acknowledged on the one
 * construct it is about (`Validations.of(construct).acknowledge`), never on a
 * stack or the app. The packs run through `validateScope`, not as synth
 * plugins: a plugin fails `cdk synth` on errors only (the rest go to
 * cdk.out/validation-report.json), and warnings count here too.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks, type NagPack } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthShop, type SynthesizedShop } from './support/shop.js';

interface Finding {
  ruleId: string;
  path: string;
  severity: string;
  message: string;
}

const packs = (): NagPack[] => [new AwsSolutionsChecks(), new ServerlessChecks()];

/** Unacknowledged findings of the packs over `root` (a synthesized app: its aspects have run). */
function findings(root: IConstruct): Finding[] {
  return packs().flatMap((pack) =>
    pack.validateScope(root).violations.flatMap((v) =>
      v.violatingResources.map((r) => ({
        ruleId: v.ruleName,
        path: r.constructPath ?? '(no path)',
        severity: v.severity ?? 'error',
        message: v.description,
      })),
    ),
  );
}

const render = (list: Finding[]): string =>
  list.map((f) => `${f.ruleId} at ${f.path} (${f.severity}): ${f.message}`).join('\n');

/** Constructs carrying an acknowledgement, with the rule ids and reasons. */
function acknowledgements(root: IConstruct): { node: IConstruct; id: string; reason: string }[] {
  return root.node.findAll().flatMap((node) =>
    node.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          node,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

let shop: SynthesizedShop;
let root: IConstruct;

beforeAll(() => {
  shop = synthShop({ paymentProviderUrl: 'https://provider.example' });
  root = shop.stacks.platform.node.root;
});

describe('cdk-nag', () => {
  it('finds what it should in a stack that breaks its rules', () => {
    const app = new App();
    const stack = new Stack(app, 'Bad');
    new Queue(stack, 'Plain');
    app.synth();
    const found = findings(app);
    expect(found).toContainEqual(
      expect.objectContaining({ ruleId: 'AwsSolutions-SQS4', path: 'Bad/Plain/Resource' }),
    );
    expect(found).toContainEqual(
      expect.objectContaining({
        ruleId: 'Serverless-SQSRedrivePolicy',
        path: 'Bad/Plain/Resource',
      }),
    );
  });

  it('reports no unacknowledged finding of AwsSolutions or Serverless over the app', () => {
    const found = findings(root);
    expect(
      found,
      `cdk-nag findings (fix them, or acknowledge on the construct):\n${render(found)}`,
    ).toEqual([]);
  });

  it('acknowledges on resources and their constructs, never on a stack or the app', () => {
    const acks = acknowledgements(root);
    expect(acks.length).toBeGreaterThan(0);
    for (const { node, id, reason } of acks) {
      const where = `${id} on ${node.node.path || '(the app)'}`;
      expect(node === root || Stack.isStack(node), `${where}: too broad`).toBe(false);
      // One sentence that says why, not a placeholder.
      expect(reason.trim().length, `${where}: reason "${reason}"`).toBeGreaterThan(40);
    }
  });
});
