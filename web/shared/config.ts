import * as z from 'zod/mini';

/**
 * Runtime configuration, served next to the app as `config.json` (by the local stack, or written
 * by the deployment) so one static build runs against any API and identity provider.
 */
export const RuntimeConfig = z.object({
  apiUrl: z.url(),
  auth: z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('local') }),
    z.object({
      mode: z.literal('cognito'),
      domain: z.url(),
      clientId: z.string().check(z.minLength(1)),
      redirectUri: z.url(),
      /** Where Cognito sends the browser after sign-out; defaults to `redirectUri`. */
      logoutUri: z.optional(z.url()),
      scopes: z.optional(z.array(z.string())),
    }),
  ]),
});
export type RuntimeConfig = z.infer<typeof RuntimeConfig>;
export type CognitoConfig = Extract<RuntimeConfig['auth'], { mode: 'cognito' }>;

export async function loadConfig(url = './config.json'): Promise<RuntimeConfig> {
  const res = await fetch(url, { cache: 'no-store' });
  if (!res.ok) throw new Error(`config.json: HTTP ${res.status}`);
  const config = RuntimeConfig.parse(await res.json());
  return { ...config, apiUrl: config.apiUrl.replace(/\/+$/, '') };
}
