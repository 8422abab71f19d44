import {
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  Validations,
  type StackProps,
} from 'aws-cdk-lib';
import type { UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  UserPool,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** The Cognito group whose members may call operator routes (the handlers check `cognito:groups`). */
export const OPERATORS_GROUP = 'operators';

export interface IdentityStackProps extends StackProps {
  /**
   * What happens to the user pool (and every account in it) when the stack is
   * deleted. RETAIN also turns deletion protection on.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Who calls the shop: a Cognito user pool of customers and operators, and the
 * one public app client that signs them in. Stateful (the accounts), so it is a
 * stack of its own that nothing but the API's authorizer depends on.
 * See docs/adr/0012-identity-and-authorization.md.
 */
export class IdentityStack extends Stack {
  public readonly userPool: UserPool;
  public readonly userPoolClient: UserPoolClient;
  /** The `iss` of the pool's tokens, which the API's JWT authorizer trusts. */
  public readonly issuerUrl: string;

  constructor(scope: Construct, id: string, props: IdentityStackProps = {}) {
    super(scope, id, props);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    // Stateful resources under State/, like the service stacks: their ids never change.
    const state = new Construct(this, 'State');

    this.userPool = new UserPool(state, 'UserPool', {
      // Customers open their own accounts; operators are made by an admin (README, "Deploying to AWS").
      selfSignUpEnabled: true,
      signInAliases: { username: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      autoVerify: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true },
      // Essentials: no threat protection (Plus is billed per user); see the cdk-nag acknowledgements below.
      featurePlan: FeaturePlan.ESSENTIALS,
      deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy,
    });
    const pool = this.userPool.node.defaultChild ?? this.userPool;
    Validations.of(pool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'Customers sign themselves up and may add a TOTP second factor; requiring MFA of every shopper is a product decision the shop leaves optional.',
    });
    Validations.of(pool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        "The Plus plan's threat protection is billed per active user; the API's throttling and Cognito's own sign-in lockout are the shop's defence.",
    });

    // A public client (a CLI or an app cannot keep a secret); SRP for apps, password auth for the CLI.
    this.userPoolClient = this.userPool.addClient('Client', {
      generateSecret: false,
      authFlows: { userPassword: true, userSrp: true },
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
    });

    new CfnUserPoolGroup(state, 'OperatorsGroup', {
      userPoolId: this.userPool.userPoolId,
      groupName: OPERATORS_GROUP,
      description: 'shop operators: may call the catalog and restock routes',
    });

    // The iss Cognito puts in its tokens (amazonaws.com in every partition the shop targets).
    this.issuerUrl = `https://cognito-idp.${this.region}.amazonaws.com/${this.userPool.userPoolId}`;
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'IssuerUrl', {
      value: this.issuerUrl,
      description: 'The iss of the pool tokens the API accepts',
    });
  }
}
