import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { putUser, type UserProfile } from '../../lambdas/adapters/dynamo/users-repo.ts';

/**
 * A customer account as the system has it: the profile in the table and the user in the user pool
 * (the Cognito stand-in locally), in the groups of its roles. The local token endpoint, like
 * Cognito, gives no token to an account the pool does not know, and takes the roles from the pool.
 * Uses the stack's environment (AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, USER_POOL_ID).
 */
export async function createAccount(
  profile: UserProfile,
  env: Record<string, string | undefined> = process.env,
): Promise<void> {
  await putUser(profile);
  const endpoint = env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER;
  const UserPoolId = env.USER_POOL_ID;
  if (!endpoint || !UserPoolId) throw new Error('createAccount: no user pool in the environment');
  const cognito = new CognitoIdentityProviderClient({
    endpoint,
    region: 'ap-southeast-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    // The pool user is named after the profile's id (the `sub` tokens carry), as the seed does.
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId,
        Username: profile.userId,
        UserAttributes: [{ Name: 'email', Value: profile.email }],
        MessageAction: 'SUPPRESS',
      }),
    );
    for (const role of profile.roles) {
      await cognito.send(
        new AdminAddUserToGroupCommand({ UserPoolId, Username: profile.userId, GroupName: role }),
      );
    }
  } finally {
    cognito.destroy();
  }
}
