/**
 * Dependency rules run by `npm test` (`npm run deps`). Services share only the
 * plumbing and the event contracts; the domain stays pure.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Circular imports make modules impossible to reason about or test alone.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-cross-service-imports',
      severity: 'error',
      comment: 'Services never call or import each other: they talk through events only.',
      from: { path: '^functions/([^/]+)/' },
      to: { path: '^functions/([^/]+)/', pathNot: '^functions/$1/' },
    },
    {
      name: 'no-aws-in-domain',
      severity: 'error',
      comment:
        'Domain code is pure: no AWS SDK, Powertools, Lambda types, plumbing, or I/O. Adapters do that. The one exception is plumbing/decider.ts, the type every domain satisfies (types only).',
      from: { path: '^functions/[^/]+/domain/' },
      to: {
        pathNot: '^plumbing/decider\\.ts$',
        path: [
          '@aws-sdk',
          '@aws-lambda-powertools',
          '@middy',
          'aws-lambda',
          '^plumbing/',
          '/(adapters|handlers)/',
          '^node:(fs|http|https|net|child_process|worker_threads)',
        ],
      },
    },
    {
      name: 'no-xray-sdk-in-functions',
      severity: 'error',
      comment:
        "Functions are traced by Lambda's active tracing and the trace header the SDK sends, not by the X-Ray SDK: its async hooks cost a quarter of a handler's CPU, and it could put a handler's answer (personal data) into a trace (ADR 20).",
      from: { path: '^(functions|plumbing)/' },
      to: { path: ['@aws-lambda-powertools/tracer', 'aws-xray-sdk'] },
    },
    {
      name: 'contracts-stand-alone',
      severity: 'error',
      comment:
        'Event contracts are the shared language: they depend on nothing of ours but themselves.',
      from: { path: '^events/' },
      to: { path: '^(functions|plumbing|infra|harness|packages)/' },
    },
    {
      name: 'plumbing-knows-no-service',
      severity: 'error',
      comment: 'Plumbing is shared by every service, so it may not know any of them.',
      from: { path: '^plumbing/' },
      to: { path: '^(functions|infra|harness|packages)/' },
    },
    {
      name: 'functions-not-infra-or-local',
      severity: 'error',
      comment:
        'Lambda code runs the same in AWS and locally: it must not import the CDK app or the local cloud.',
      from: { path: '^functions/' },
      to: { path: ['^(infra|harness|packages)/', 'aws-cdk-lib', '^constructs'] },
    },
    {
      name: 'infra-reads-only-service-subscriptions',
      severity: 'error',
      comment: 'The CDK app may read which contracts a service consumes, not its code.',
      from: { path: '^infra/' },
      to: { path: '^functions/', pathNot: '^functions/[^/]+/consumes\\.ts$' },
    },
    {
      name: 'local-cloud-knows-no-shop',
      severity: 'error',
      comment:
        'The local cloud is a package of its own: it emulates AWS for any CDK app and knows nothing of the shop.',
      from: { path: '^packages/local-cloud/' },
      to: { path: '^(functions|events|plumbing|infra|harness|ops|bench|test)/' },
    },
    {
      name: 'local-cloud-through-its-entry-point',
      severity: 'error',
      comment:
        "The shop uses the local cloud only through the package's entry points (@shop/local-cloud, @shop/local-cloud/bench).",
      from: { pathNot: '^packages/local-cloud/' },
      to: {
        path: '^packages/local-cloud/',
        pathNot: '^packages/local-cloud/(src|bench)/index\\.ts$',
      },
    },
    {
      name: 'harness-is-not-the-product',
      severity: 'error',
      comment:
        'The harness (npm start, chaos, the provider simulator) drives the shop from outside; the product never imports it.',
      from: { path: '^(functions|events|plumbing|infra|ops)/' },
      to: { path: '^harness/' },
    },
    {
      name: 'no-test-code-in-production',
      severity: 'error',
      from: { pathNot: '^(test|bench|packages/local-cloud/(test|bench))/' },
      to: { path: '^(test|packages/local-cloud/test)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '^aws-lambda$' }, // types only (@types/aws-lambda)
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(cdk\\.out|coverage|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
