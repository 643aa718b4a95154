import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { putPolicy } from '../../lambdas/adapters/dynamo/policies-repo.ts';
import { putUser, type UserProfile } from '../../lambdas/adapters/dynamo/users-repo.ts';
import { Policy } from '../../lambdas/core/policy.ts';
import { demoPolicies, userIdFor } from '../../local/demo-data.ts';

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

/**
 * Customers of their own, each with a motor policy (and a citizen id on it), made through the same
 * adapters the local seed uses: load spread over many callers, as it arrives (the resilience suite,
 * the throughput bench).
 */
export interface LoadCustomer {
  username: string;
  customerId: string;
  policyNumber: string;
  nationalId: string;
  /** The name on the account and the policy (`Khách hàng 0001`). */
  name: string;
  email: string;
  phone: string;
  /** The insured vehicle's plate on the policy. */
  vehiclePlate: string;
}

export async function makeCustomers(count: number, prefix = 'load'): Promise<LoadCustomer[]> {
  const template = demoPolicies(new Date()).find((p) => p.productCode === 'MOTOR_OD');
  if (!template) throw new Error('no motor policy among the demo policies');
  const out: LoadCustomer[] = [];
  for (let i = 0; i < count; i++) {
    const n = String(i).padStart(4, '0');
    const c: LoadCustomer = {
      username: `${prefix}.${n}`,
      customerId: `CUS-${prefix.toUpperCase()}-${n}`,
      policyNumber: `MOT-${prefix.toUpperCase()}-${n}`,
      // A CCCD is 12 digits: province code, century/sex, year, then six digits.
      nationalId: `0010990${String(70_000 + i).padStart(5, '0')}`,
      name: `Khách hàng ${n}`,
      email: `${prefix}.${n}@example.vn`,
      phone: `09${String(10_000_000 + i).slice(-8)}`,
      vehiclePlate: `30K-${n.slice(1)}.${n.slice(2)}`,
    };
    await createAccount({
      userId: userIdFor(c.username),
      username: c.username,
      displayName: c.name,
      email: c.email,
      phone: c.phone,
      locale: 'vi',
      roles: ['customer'],
      customerId: c.customerId,
    });
    await putPolicy(
      Policy.parse({
        ...template,
        policyNumber: c.policyNumber,
        customerId: c.customerId,
        holderName: c.name,
        holderIdNumber: c.nationalId,
        insuredObject: { vehiclePlate: c.vehiclePlate },
      }),
    );
    out.push(c);
  }
  return out;
}
