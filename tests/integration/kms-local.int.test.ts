import {
  DecryptCommand,
  GenerateDataKeyCommand,
  GenerateMacCommand,
  KMSClient,
  KMSInvalidMacException,
  VerifyMacCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KmsLocal, startKmsLocal } from '../../local/services/kms.ts';

/** The KMS stand-in through the real SDK client: the two calls field encryption makes, and KMS's rules. */
let kms: KmsLocal;
let client: KMSClient;

beforeAll(async () => {
  kms = await startKmsLocal({ aliases: ['alias/one', 'alias/two'] });
  client = new KMSClient({
    endpoint: kms.endpoint,
    region: 'ap-southeast-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  client?.destroy();
  await kms?.stop();
});

const context = { app: 'claims', purpose: 'payout-account' };

describe('KMS stand-in', () => {
  it('generates a 256-bit data key and decrypts it under the same context', async () => {
    const key = await client.send(
      new GenerateDataKeyCommand({ KeyId: 'alias/one', KeySpec: 'AES_256', EncryptionContext: context }),
    );
    expect(key.KeyId).toBe(kms.keyArn('alias/one'));
    expect(key.Plaintext?.length).toBe(32);
    const back = await client.send(
      new DecryptCommand({
        CiphertextBlob: key.CiphertextBlob,
        EncryptionContext: context,
        KeyId: key.KeyId,
      }),
    );
    expect(Buffer.from(back.Plaintext ?? []).equals(Buffer.from(key.Plaintext ?? []))).toBe(true);
    expect(kms.calls()).toMatchObject({ GenerateDataKey: 1, Decrypt: 1 });
  });

  it('refuses another encryption context, another key id and an unknown key', async () => {
    const key = await client.send(
      new GenerateDataKeyCommand({ KeyId: 'alias/one', KeySpec: 'AES_256', EncryptionContext: context }),
    );
    await expect(
      client.send(
        new DecryptCommand({
          CiphertextBlob: key.CiphertextBlob,
          EncryptionContext: { ...context, purpose: 'x' },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
    await expect(
      client.send(
        new DecryptCommand({
          CiphertextBlob: key.CiphertextBlob,
          EncryptionContext: context,
          KeyId: 'alias/two',
        }),
      ),
    ).rejects.toMatchObject({ name: 'IncorrectKeyException' });
    await expect(
      client.send(new GenerateDataKeyCommand({ KeyId: 'alias/none', KeySpec: 'AES_256' })),
    ).rejects.toMatchObject({ name: 'NotFoundException' });
  });

  it('verifies a MAC it made (MacValid), and answers any other with KMSInvalidMacException', async () => {
    const Message = Buffer.from('claims-audit-anchor/v1\nclaim/c1\n4\nab', 'utf8');
    const made = await client.send(
      new GenerateMacCommand({ KeyId: 'alias/one', MacAlgorithm: 'HMAC_SHA_256', Message }),
    );
    const verify = (KeyId: string, message: Buffer, Mac = made.Mac) =>
      client.send(new VerifyMacCommand({ KeyId, MacAlgorithm: 'HMAC_SHA_256', Message: message, Mac }));
    expect(await verify('alias/one', Message)).toMatchObject({
      KeyId: kms.keyArn('alias/one'),
      MacAlgorithm: 'HMAC_SHA_256',
      MacValid: true,
    });
    // Another message, another key, a truncated MAC: the same error, never MacValid false.
    for (const call of [
      verify('alias/one', Buffer.from('claims-audit-anchor/v1\nclaim/c1\n5\nab', 'utf8')),
      verify('alias/two', Message),
      verify('alias/one', Message, made.Mac?.subarray(0, 16)),
    ]) {
      await expect(call).rejects.toBeInstanceOf(KMSInvalidMacException);
    }
  });
});
