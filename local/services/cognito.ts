// Cognito user pool stand-in for staff administration.
//
// Speaks the AWS JSON 1.1 protocol @aws-sdk/client-cognito-identity-provider uses (`POST /`,
// `X-Amz-Target: AWSCognitoIdentityProviderService.<Op>`, `application/x-amz-json-1.1`), with errors
// in AWS's shape (`{"__type": "UserNotFoundException", "message": …}`). Only what the admin API
// calls is implemented: AdminCreateUser, AdminGetUser, AdminUpdateUserAttributes,
// AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser, AdminDisableUser,
// AdminEnableUser, AdminUserGlobalSignOut (recorded as `signedOutAt`; local tokens are stateless and
// stay valid). Users live in memory; `GET /local/users` lists them for inspection. Signatures
// are not checked and no email is sent. Sign-in itself is not here: the local token endpoint
// (local/gateway.ts) finds the user in our table, then asks this pool — over the same API, see
// {@link cognitoAccount} — whether the account is enabled and which groups go into the token.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  closeServer,
  createJsonServer,
  HttpError,
  isRecord,
  LOCAL_HOST,
  listen,
  readJsonBody,
  sendJson,
} from './http.ts';

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

export interface LocalIdentityUser {
  username: string;
  sub: string;
  attributes: Record<string, string>;
  groups: string[];
  enabled: boolean;
  status: 'FORCE_CHANGE_PASSWORD' | 'CONFIRMED';
  createdAt: string;
  updatedAt: string;
  /** When AdminUserGlobalSignOut last ended its sessions. */
  signedOutAt?: string;
}

export interface CognitoLocalOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  userPoolId: string;
  /** Group names of the pool (the CDK stack creates one per role). */
  groups: readonly string[];
  /** Accounts that exist from the start (the demo users), with their fixed `sub`. */
  users?: Array<{
    username: string;
    sub: string;
    email: string;
    groups: readonly string[];
    enabled?: boolean;
  }>;
}

export interface CognitoLocal {
  /** Set it as `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`. */
  endpoint: string;
  port: number;
  users(): LocalIdentityUser[];
  stop(): Promise<void>;
}

const awsError = (code: string, message: string, status = 400) => new HttpError(status, code, message);
const notFound = () => awsError('UserNotFoundException', 'User does not exist.');

function text(p: Record<string, unknown>, name: string): string {
  const v = p[name];
  if (typeof v !== 'string' || v === '') {
    throw awsError(
      'InvalidParameterException',
      `1 validation error detected: Value at '${name}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return v;
}

function attributeList(v: unknown): Record<string, string> {
  if (v === undefined) return {};
  if (!Array.isArray(v)) throw awsError('InvalidParameterException', 'UserAttributes must be a list');
  const out: Record<string, string> = {};
  for (const a of v) {
    if (!isRecord(a) || typeof a.Name !== 'string')
      throw awsError('InvalidParameterException', 'Attribute name is required');
    if (a.Name === 'sub')
      throw awsError('InvalidParameterException', 'Cannot modify the non-mutable attribute sub');
    out[a.Name] = String(a.Value ?? '');
  }
  return out;
}

const epochSeconds = (iso: string) => new Date(iso).getTime() / 1000;
const toAttributes = (u: LocalIdentityUser) => [
  { Name: 'sub', Value: u.sub },
  ...Object.entries(u.attributes).map(([Name, Value]) => ({ Name, Value })),
];

export async function startCognitoLocal(options: CognitoLocalOptions): Promise<CognitoLocal> {
  const users = new Map<string, LocalIdentityUser>();
  const groups = new Set(options.groups);
  const now = () => new Date().toISOString();
  for (const u of options.users ?? []) {
    const at = now();
    users.set(u.username, {
      username: u.username,
      sub: u.sub,
      attributes: { email: u.email, email_verified: 'true' },
      groups: [...u.groups],
      enabled: u.enabled ?? true,
      status: 'CONFIRMED',
      createdAt: at,
      updatedAt: at,
    });
  }

  /** Like a pool whose sign-in alias is email: a user is found by username, email or sub. */
  const find = (p: Record<string, unknown>): LocalIdentityUser => {
    const name = text(p, 'Username');
    const u =
      users.get(name) ??
      [...users.values()].find(
        (x) => x.sub === name || x.attributes.email?.toLowerCase() === name.toLowerCase(),
      );
    if (!u) throw notFound();
    return u;
  };
  const checkPool = (p: Record<string, unknown>) => {
    if (text(p, 'UserPoolId') !== options.userPoolId) {
      throw awsError('ResourceNotFoundException', `User pool ${String(p.UserPoolId)} does not exist.`);
    }
  };
  const group = (p: Record<string, unknown>) => {
    const g = text(p, 'GroupName');
    if (!groups.has(g)) throw awsError('ResourceNotFoundException', 'Group not found.');
    return g;
  };
  const touch = (u: LocalIdentityUser) => {
    u.updatedAt = now();
  };

  const operations: Record<string, (p: Record<string, unknown>) => unknown> = {
    AdminCreateUser(p) {
      const username = text(p, 'Username');
      const attributes = attributeList(p.UserAttributes);
      const email = attributes.email?.toLowerCase();
      const clash = [...users.values()].some(
        (u) => u.username === username || (email && u.attributes.email?.toLowerCase() === email),
      );
      if (clash) throw awsError('UsernameExistsException', 'An account with the given email already exists.');
      const at = now();
      const user: LocalIdentityUser = {
        username,
        sub: randomUUID(),
        attributes,
        groups: [],
        enabled: true,
        status: 'FORCE_CHANGE_PASSWORD',
        createdAt: at,
        updatedAt: at,
      };
      users.set(username, user);
      return {
        User: {
          Username: user.username,
          Attributes: toAttributes(user),
          Enabled: true,
          UserStatus: user.status,
          UserCreateDate: epochSeconds(at),
          UserLastModifiedDate: epochSeconds(at),
        },
      };
    },
    AdminGetUser(p) {
      const u = find(p);
      return {
        Username: u.username,
        UserAttributes: toAttributes(u),
        Enabled: u.enabled,
        UserStatus: u.status,
        UserCreateDate: epochSeconds(u.createdAt),
        UserLastModifiedDate: epochSeconds(u.updatedAt),
      };
    },
    AdminUpdateUserAttributes(p) {
      const u = find(p);
      const attributes = attributeList(p.UserAttributes);
      const email = attributes.email?.toLowerCase();
      if (email && [...users.values()].some((x) => x !== u && x.attributes.email?.toLowerCase() === email)) {
        throw awsError('AliasExistsException', 'An account with the given email already exists.');
      }
      Object.assign(u.attributes, attributes);
      touch(u);
      return {};
    },
    AdminAddUserToGroup(p) {
      const g = group(p);
      const u = find(p);
      if (!u.groups.includes(g)) u.groups.push(g);
      touch(u);
      return {};
    },
    AdminRemoveUserFromGroup(p) {
      const g = group(p);
      const u = find(p);
      u.groups = u.groups.filter((x) => x !== g);
      touch(u);
      return {};
    },
    AdminListGroupsForUser(p) {
      const u = find(p);
      const limit = typeof p.Limit === 'number' ? p.Limit : 60;
      if (!Number.isInteger(limit) || limit < 0 || limit > 60)
        throw awsError('InvalidParameterException', 'Limit must be between 0 and 60');
      const start = typeof p.NextToken === 'string' ? Number(p.NextToken) || 0 : 0;
      const page = u.groups.slice(start, start + limit);
      return {
        Groups: page.map((GroupName) => ({ GroupName, UserPoolId: options.userPoolId })),
        ...(start + limit < u.groups.length ? { NextToken: String(start + limit) } : {}),
      };
    },
    AdminDisableUser(p) {
      const u = find(p);
      u.enabled = false;
      touch(u);
      return {};
    },
    AdminEnableUser(p) {
      const u = find(p);
      u.enabled = true;
      touch(u);
      return {};
    },
    AdminUserGlobalSignOut(p) {
      const u = find(p);
      u.signedOutAt = now();
      return {};
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const headers = { 'x-amzn-requestid': randomUUID() };
    const url = new URL(req.url ?? '/', 'http://local');
    if (req.method === 'GET' && url.pathname === '/local/users') {
      sendJson(res, 200, { userPoolId: options.userPoolId, users: [...users.values()] });
      return;
    }
    try {
      const target = String(req.headers['x-amz-target'] ?? '');
      if (req.method !== 'POST')
        throw awsError('UnknownOperationException', 'Use POST with X-Amz-Target', 404);
      const op = target.startsWith(TARGET_PREFIX)
        ? operations[target.slice(TARGET_PREFIX.length)]
        : undefined;
      if (!op) throw awsError('UnknownOperationException', `Unknown operation ${target}`);
      const body = await readJsonBody(req);
      if (!isRecord(body)) throw awsError('SerializationException', 'Body must be a JSON object');
      checkPool(body);
      sendJson(res, 200, op(body), headers, CONTENT_TYPE);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      sendJson(res, err.status, { __type: err.code, message: err.message }, headers, CONTENT_TYPE);
    }
  };

  const server = createJsonServer(handle, 'cognito-local');
  const port = await listen(server, options.port ?? 0);
  return {
    endpoint: `http://${LOCAL_HOST}:${port}`,
    port,
    users: () => structuredClone([...users.values()]),
    stop: () => closeServer(server),
  };
}

/** Whether an account may sign in and the groups its ID token carries (`cognito:groups`). */
export type CognitoAccountLookup = (
  usernameOrSub: string,
) => Promise<{ enabled: boolean; groups: string[] } | undefined>;

/**
 * Reads an account from a user pool over the Cognito API (AdminGetUser, AdminListGroupsForUser):
 * what Cognito consults when it issues an ID token. Undefined when the pool has no such user.
 */
export function cognitoAccount(endpoint: string, userPoolId: string): CognitoAccountLookup {
  const client = new CognitoIdentityProviderClient({
    endpoint,
    region: 'ap-southeast-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return async (username) => {
    try {
      const user = await client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
      const groups: string[] = [];
      let NextToken: string | undefined;
      do {
        const page = await client.send(
          new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: username, NextToken }),
        );
        for (const g of page.Groups ?? []) if (g.GroupName) groups.push(g.GroupName);
        NextToken = page.NextToken;
      } while (NextToken);
      return { enabled: user.Enabled !== false, groups };
    } catch (e) {
      if (e instanceof UserNotFoundException) return undefined;
      throw e;
    }
  };
}
