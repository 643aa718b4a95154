import type { App, Environment } from 'aws-cdk-lib';
import type { ClaimsConfig } from './config.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';
import { WebHostingStack } from './web-hosting-stack.ts';

export interface ClaimsStacks {
  web: WebHostingStack;
  stateful: StatefulStack;
  stateless: StatelessStack;
}

/**
 * The three stacks of one stage, in dependency order: web edge (CloudFront domain) -> stateful
 * (data, identity) -> stateless (compute, API, workflow, web content). Shared by bin/app.ts and the
 * infra tests so both synthesize exactly the same thing.
 */
export function createClaimsApp(app: App, config: ClaimsConfig): ClaimsStacks {
  const env: Environment = { account: config.account, region: config.region };
  const prefix = `claims-${config.stage}`;
  const web = new WebHostingStack(app, `${prefix}-web`, {
    env,
    config,
    description: `Claims (${config.stage}): CloudFront + bucket for the web front ends`,
  });
  const stateful = new StatefulStack(app, `${prefix}-stateful`, {
    env,
    config,
    webUrl: web.webUrl,
    description: `Claims (${config.stage}): table, documents, keys, user pool (retained)`,
    terminationProtection: config.production,
  });
  const stateless = new StatelessStack(app, `${prefix}-stateless`, {
    env,
    config,
    stateful,
    web,
    description: `Claims (${config.stage}): API, Lambdas, workflow, web deployment`,
  });
  return { web, stateful, stateless };
}
