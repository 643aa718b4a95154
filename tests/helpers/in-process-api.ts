/**
 * A second API front door started in this worker: the local gateway and IdP running the very
 * handler modules in this process (against the shared stack's stand-ins, whose environment
 * `useStack()` applied), so a test sees what the handlers log and runs the code as it is now.
 */
export async function startInProcessApi(): Promise<{ url: string; stop: () => Promise<void> }> {
  const [{ startGateway }, { asLocalUser, createLocalIdp }, { getUserByUsername }] = await Promise.all([
    import('../../local/gateway.ts'),
    import('../../local/idp.ts'),
    import('../../lambdas/adapters/dynamo/users-repo.ts'),
  ]);
  const idp = await createLocalIdp('http://127.0.0.1/local-idp');
  return startGateway({
    port: 0,
    idp,
    findUser: async (username) => {
      const u = await getUserByUsername(username);
      return u ? asLocalUser(u) : undefined;
    },
  });
}
