import { Stack, Validations } from 'aws-cdk-lib';
import { Policy, type PolicyDocument, type Role } from 'aws-cdk-lib/aws-iam';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';
import { InlinePolicyRole } from './inline-policy-role.ts';

/**
 * cdk-nag 3 acknowledgements (`Validations.of(scope).acknowledge`). Every call names one rule or one
 * finding on the narrowest construct, with the reason next to it. cdk-nag 3 has no prefix matching,
 * so IAM5 findings are acknowledged one by one with the id it reports: `AwsSolutions-IAM5[Action::x]`
 * or `AwsSolutions-IAM5[Resource::<flattened ARN>]`. Those ids are computed here exactly as cdk-nag
 * computes them, which is only correct for ARNs that are final at construction time (literals and
 * pseudo parameters, no cross-stack tokens) - why cross-stack resources are imported by their
 * deterministic names (lib/config.ts). A mismatch shows up as an unacknowledged finding, never as a
 * silently broader acknowledgement.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

const iam5Action = (action: string): string => `AwsSolutions-IAM5[Action::${action}]`;

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Resource?: unknown;
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Where the role's grants go: its own inline policy, or CDK's DefaultPolicy (roles CDK makes). */
function grantsOf(role: Role): PolicyDocument | undefined {
  if (role instanceof InlinePolicyRole) return role.inlinePolicy;
  const policy = role.node.tryFindChild('DefaultPolicy');
  return policy instanceof Policy ? policy.document : undefined;
}

/** The IAM5 finding ids cdk-nag would report for the role's grants as they stand now. */
function wildcardFindings(role: Role): Set<string> {
  const ids = new Set<string>();
  const grants = grantsOf(role);
  if (!grants || grants.isEmpty) return ids;
  const doc = Stack.of(role).resolve(grants) as { Statement?: Statement[] };
  for (const s of doc.Statement ?? []) {
    if (s.Effect !== 'Allow') continue;
    for (const a of asArray(s.Action)) if (a.includes('*')) ids.add(iam5Action(a));
    for (const r of asArray(s.Resource)) {
      const flat = flattenCfnReference(r);
      if (flat.includes('*')) ids.add(`AwsSolutions-IAM5[Resource::${flat}]`);
    }
  }
  return ids;
}

/**
 * Runs one CDK grant and acknowledges exactly the wildcard findings *that grant* added to the role,
 * with the reason for that grant. Anything granted elsewhere is still reported. If a wildcard ARN
 * contained a cross-stack token the id computed here would not match cdk-nag's and synth would fail,
 * which is the safe direction.
 */
export function grantWithAcknowledgedWildcards(role: Role, reason: string, grant: () => void): void {
  const before = wildcardFindings(role);
  grant();
  for (const id of wildcardFindings(role)) if (!before.has(id)) acknowledge(role, id, reason);
}

/**
 * For roles that CDK itself manages (e.g. the BucketDeployment provider): acknowledge the wildcard
 * findings its policy has *now*, with one reason. Anything granted later is still reported.
 */
export function acknowledgeManagedRoleWildcards(role: Role, reason: string): void {
  for (const id of wildcardFindings(role)) acknowledge(role, id, reason);
}
