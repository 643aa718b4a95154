import { Stack } from 'aws-cdk-lib';
import {
  type AddToPrincipalPolicyResult,
  PolicyDocument,
  type PolicyStatement,
  Role,
  type RoleProps,
} from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/**
 * IAM's limit on a role's inline policies, all of them together, in characters without whitespace.
 * It is the same limit CDK's DefaultPolicy (an AWS::IAM::Policy is an inline policy too) was under.
 */
const MAX_INLINE_POLICY_CHARS = 10_240;

/**
 * A role whose grants are written into the role itself (AWS::IAM::Role `Policies`) instead of a
 * separate AWS::IAM::Policy (CDK's `DefaultPolicy`): one resource per function fewer in a stack
 * that holds ~95 functions under CloudFormation's 500-resource limit, and nothing named moves.
 *
 * Every `grant*` and `addToPrincipalPolicy` lands in {@link inlinePolicy}, whenever it is made (other
 * constructs and stacks grant after construction: event sources, dead-letter queues, X-Ray): the
 * document is rendered at synthesis. Whatever must wait for the permissions depends on the role,
 * which now carries them, so the Function's DependsOn on the DefaultPolicy becomes the Role it
 * references anyway.
 *
 * What CDK's DefaultPolicy does and this does not: split a policy too large for the role into
 * managed policies. A validation fails synth instead, so the limit is met before a deploy finds it.
 */
export class InlinePolicyRole extends Role {
  /**
   * The inline policy's name. Not the old DefaultPolicy's name: on the update that removes an
   * AWS::IAM::Policy, CloudFormation deletes that policy from the role after the role has been
   * updated, which would take a same-named inline policy with it.
   */
  static readonly POLICY_NAME = 'grants';

  /** Every statement granted to this role. */
  readonly inlinePolicy: PolicyDocument;

  constructor(scope: Construct, id: string, props: RoleProps) {
    const grants = new PolicyDocument();
    super(scope, id, {
      ...props,
      inlinePolicies: { ...props.inlinePolicies, [InlinePolicyRole.POLICY_NAME]: grants },
    });
    this.inlinePolicy = grants;
    this.node.addValidation({
      validate: () => {
        // An empty document renders as no document, which IAM refuses.
        if (this.inlinePolicy.isEmpty) return [`${this.node.path}: no statements in the inline policy`];
        // Tokens render as CloudFormation intrinsics, longer than the ARNs they become: an upper bound.
        const chars = JSON.stringify(Stack.of(this).resolve(this.inlinePolicy)).replace(/\s/g, '').length;
        return chars > MAX_INLINE_POLICY_CHARS
          ? [
              `${this.node.path}: inline policy of ~${chars} characters exceeds IAM's ${MAX_INLINE_POLICY_CHARS}`,
            ]
          : [];
      },
    });
  }

  override addToPrincipalPolicy(statement: PolicyStatement): AddToPrincipalPolicyResult {
    this.inlinePolicy.addStatements(statement);
    return { statementAdded: true, policyDependable: this };
  }
}
