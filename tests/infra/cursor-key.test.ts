import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../lambdas/routes.ts';
import { functionName, type RouteDef } from '../../lambdas/shared/functions.ts';
import { createClaimsApp } from '../../lib/claims-app.ts';
import { ENV } from '../../lib/claims-function.ts';
import { loadConfig, REPO_ROOT } from '../../lib/config.ts';

/**
 * The paging cursor signing key on AWS: one generated secret per stage, kept with the data, and
 * resolved by CloudFormation into exactly the functions that page (access kind `cursors`).
 */
const STAGE = 'test';
const OUT_ROOT = mkdtempSync(join(tmpdir(), 'claims-cursor-key-test-'));
let stateful: Template;
let stateless: Template;

beforeAll(() => {
  const dist = mkdtempSync(join(OUT_ROOT, 'web-dist-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html>');
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  const app = new App({
    outdir: mkdtempSync(join(OUT_ROOT, 'cdk.out-')),
    context: { ...cdkJson.context, stage: STAGE, 'aws:cdk:bundling-stacks': [], webDistDir: dist },
  });
  const stacks = createClaimsApp(app, loadConfig(app.node, {}));
  const assembly = app.synth();
  stateful = Template.fromJSON(assembly.getStackByName(stacks.stateful.stackName).template);
  stateless = Template.fromJSON(assembly.getStackByName(stacks.stateless.stackName).template);
}, 120_000);
afterAll(() => rmSync(OUT_ROOT, { recursive: true, force: true }));

describe('cursor signing key', () => {
  it('is a generated secret in the stateful stack, retained', () => {
    const secrets = Object.values(stateful.findResources('AWS::SecretsManager::Secret')) as {
      Properties: { GenerateSecretString?: { PasswordLength?: number } };
      DeletionPolicy?: string;
    }[];
    expect(secrets).toHaveLength(1);
    expect(secrets[0]?.Properties.GenerateSecretString?.PasswordLength).toBe(64);
    expect(secrets[0]?.DeletionPolicy).toBe('Retain');
  });

  it('reaches exactly the functions that page, as a deploy-time reference, never as plain text', () => {
    const functions = Object.values(stateless.findResources('AWS::Lambda::Function')) as {
      Properties: { FunctionName?: string; Environment?: { Variables?: Record<string, unknown> } };
    }[];
    for (const route of ROUTES as readonly RouteDef[]) {
      const fn = functions.find((f) => f.Properties.FunctionName === `${STAGE}-${functionName(route.id)}`);
      expect(fn, route.id).toBeDefined();
      const value = fn?.Properties.Environment?.Variables?.[ENV.cursorSigningKey];
      if (route.access.cursors)
        expect(JSON.stringify(value), route.id).toContain('{{resolve:secretsmanager:');
      else expect(value, route.id).toBeUndefined();
    }
    expect((ROUTES as readonly RouteDef[]).filter((r) => r.access.cursors).map((r) => r.id)).toEqual(
      expect.arrayContaining([
        'StaffQueue',
        'SearchClaims',
        'PolicyHistory',
        'GetClaim',
        'ListMyClaims',
        'ListSiuCases',
        'ListSiuPaid',
      ]),
    );
  });
});
