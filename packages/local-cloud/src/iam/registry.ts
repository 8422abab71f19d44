/**
 * Who is calling, and what their role may do: roles and their policies from
 * the template (AWS::IAM::Role inline policies, AWS::IAM::Policy attachments),
 * and the access key id each local function signs with. A caller whose key is
 * not a function's (the SDK in tests, the harness, 'local') is the account's
 * root, allowed everything, as root is on AWS.
 */
import { createHash } from 'node:crypto';
import { AwsError } from '../core/errors.js';
import { evaluate, type PolicyDocument, type RequestContext } from './policy.js';

interface Role {
  readonly arn: string;
  readonly inline: PolicyDocument[];
  readonly managed: string[];
}

interface Caller {
  readonly roleName: string;
  readonly sessionName: string;
}

export class IamRegistry {
  private readonly roles = new Map<string, Role>();
  /** AWS::IAM::Policy by its id: the document and the role names it is attached to. */
  private readonly attached = new Map<string, { doc: PolicyDocument; roles: string[] }>();
  private readonly callers = new Map<string, Caller>();

  constructor(private readonly accountId: string) {}

  putRole(name: string, inline: PolicyDocument[] = [], managedArns: string[] = []): string {
    const arn = `arn:aws:iam::${this.accountId}:role/${name}`;
    this.roles.set(name, { arn, inline, managed: managedArns });
    return arn;
  }

  putPolicy(id: string, doc: PolicyDocument, roleNames: string[]): void {
    this.attached.set(id, { doc, roles: roleNames });
  }

  /** The access key id a function signs with; calls made with it are its role's. */
  registerCaller(roleArnOrName: string, sessionName: string): string {
    const roleName = roleArnOrName.replace(/^arn:[^:]+:iam::\d{12}:role\/(?:.*\/)?/, '');
    const accessKeyId = `ASIA${createHash('sha256').update(`${roleName}/${sessionName}`).digest('hex').slice(0, 16).toUpperCase()}`;
    this.callers.set(accessKeyId, { roleName, sessionName });
    return accessKeyId;
  }

  /** The role's documents; AWS managed policies are not known locally and grant nothing. */
  documents(roleName: string): PolicyDocument[] {
    const docs = [...(this.roles.get(roleName)?.inline ?? [])];
    for (const { doc, roles } of this.attached.values())
      if (roles.includes(roleName)) docs.push(doc);
    return docs;
  }

  /**
   * Throws AccessDeniedException, worded as AWS words it, unless the caller may;
   * `context` holds the request's condition keys the role's Conditions test.
   */
  authorize(
    accessKeyId: string | undefined,
    action: string,
    resource: string,
    context: RequestContext = {},
  ): void {
    const caller = accessKeyId === undefined ? undefined : this.callers.get(accessKeyId);
    if (!caller) return;
    const decision = evaluate(this.documents(caller.roleName), action, resource, context);
    if (decision === 'allow') return;
    const who = `arn:aws:sts::${this.accountId}:assumed-role/${caller.roleName}/${caller.sessionName}`;
    const why =
      decision === 'explicit-deny'
        ? 'with an explicit deny in an identity-based policy'
        : `because no identity-based policy allows the ${action} action`;
    throw new AwsError(
      'AccessDeniedException',
      `User: ${who} is not authorized to perform: ${action} on resource: ${resource} ${why}`,
    );
  }
}
