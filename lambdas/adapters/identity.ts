import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Role } from '../shared/roles.ts';
import { env, perExecutionEnvironment } from './env.ts';

/**
 * The identity provider port: sign-in accounts and their groups (= roles). On AWS it is the Cognito
 * user pool (`USER_POOL_ID`); locally a stand-in speaking the same protocol
 * (`AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`). Our profile mirrors what is set here; on AWS the
 * groups in the token are what API Gateway and the handlers trust.
 */
export interface IdentityAttributes {
  email: string;
  displayName: string;
  locale: 'vi' | 'en';
}

export interface IdentityProvider {
  /**
   * Creates the account (Cognito emails the invitation with a temporary password) or, when an earlier
   * attempt created it and failed later, finds it. Returns the immutable `sub`, our userId.
   */
  ensureUser(a: IdentityAttributes): Promise<{ sub: string; created: boolean }>;
  updateAttributes(sub: string, a: IdentityAttributes): Promise<void>;
  setGroups(sub: string, add: readonly Role[], remove: readonly Role[]): Promise<void>;
  setEnabled(sub: string, enabled: boolean): Promise<void>;
  /** Ends every session of the account (refresh tokens revoked): after its contact details change. */
  signOut(sub: string): Promise<void>;
}

let client: CognitoIdentityProviderClient | undefined;
const cognito = () => {
  client ??= new CognitoIdentityProviderClient({});
  return client;
};
const userPoolId = perExecutionEnvironment(() => env('USER_POOL_ID'));

const attributes = (a: IdentityAttributes) => [
  { Name: 'email', Value: a.email },
  { Name: 'email_verified', Value: 'true' },
  { Name: 'name', Value: a.displayName },
  { Name: 'custom:locale', Value: a.locale },
];

async function subOf(username: string): Promise<string> {
  const r = await cognito().send(new AdminGetUserCommand({ UserPoolId: userPoolId(), Username: username }));
  const sub = r.UserAttributes?.find((x) => x.Name === 'sub')?.Value;
  if (!sub) throw new Error('the identity provider returned a user without sub');
  return sub;
}

/**
 * Cognito. The pool signs in by email (email is the username attribute), so accounts are created
 * with the email as Username; afterwards they are addressed by `sub`, which the admin APIs accept
 * and which survives an email change.
 */
export const cognitoIdentity: IdentityProvider = {
  async ensureUser(a) {
    try {
      await cognito().send(
        new AdminCreateUserCommand({
          UserPoolId: userPoolId(),
          Username: a.email,
          UserAttributes: attributes(a),
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
      return { sub: await subOf(a.email), created: true };
    } catch (e) {
      if (e instanceof UsernameExistsException) return { sub: await subOf(a.email), created: false };
      throw e;
    }
  },
  async updateAttributes(sub, a) {
    await cognito().send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: userPoolId(),
        Username: sub,
        UserAttributes: attributes(a),
      }),
    );
  },
  async setGroups(sub, add, remove) {
    // Adding a member twice or removing a non-member is a no-op in Cognito, so a retry converges.
    for (const g of add) {
      await cognito().send(
        new AdminAddUserToGroupCommand({ UserPoolId: userPoolId(), Username: sub, GroupName: g }),
      );
    }
    for (const g of remove) {
      await cognito().send(
        new AdminRemoveUserFromGroupCommand({ UserPoolId: userPoolId(), Username: sub, GroupName: g }),
      );
    }
  },
  async setEnabled(sub, enabled) {
    const input = { UserPoolId: userPoolId(), Username: sub };
    await cognito().send(enabled ? new AdminEnableUserCommand(input) : new AdminDisableUserCommand(input));
  },
  async signOut(sub) {
    // Idempotent: signing out an account with no session is a no-op.
    await cognito().send(new AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId(), Username: sub }));
  },
};
