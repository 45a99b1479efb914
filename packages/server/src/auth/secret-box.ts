/**
 * Encryption at rest for secrets Argus must be able to read back (LLM connection keys, alert channels' webhook
 * signing keys, Slack webhook URLs, SMTP passwords, custom headers): AES-256-GCM with a key
 * that is NOT in the metadata database, so a copy of the database (a backup, a dump, a
 * replica) does not hand out the secrets.
 *
 * The key comes from ARGUS_SECRET_KEY (any string of 32+ characters; SHA-256 makes it 256 bits)
 * or, when unset, from `<data dir>/secret.key`, created with mode 0600 on first use. Several
 * instances sharing one PostgreSQL must share the key: a check value kept in the settings
 * detects a mismatch at start-up rather than at the first notification.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ArgusError } from '../errors.ts';
import type { MetadataStore } from '../store/metadata/metadata-store.ts';

const PREFIX = 'enc:v1:';
const CHECK_SETTING = 'secretKeyCheck';

/** Seals and opens secrets. */
export interface SecretBox {
  /** `enc:v1:<iv>:<tag>:<ciphertext>` (base64url). */
  seal(plain: string): string;
  /** The plaintext of a sealed value; a value that is not sealed is returned as is (older rows). */
  open(stored: string): string;
}

/** A box over a 32-byte key. */
export function secretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('secret box key must be 32 bytes');
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return `${PREFIX}${iv.toString('base64url')}:${tag.toString('base64url')}:${data.toString('base64url')}`;
    },
    open(stored) {
      if (!stored.startsWith(PREFIX)) return stored;
      const [iv, tag, data] = stored.slice(PREFIX.length).split(':');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv ?? '', 'base64url'));
        decipher.setAuthTag(Buffer.from(tag ?? '', 'base64url'));
        return Buffer.concat([
          decipher.update(Buffer.from(data ?? '', 'base64url')),
          decipher.final(),
        ]).toString('utf8');
      } catch (error) {
        throw new ArgusError(
          'CONFIG_INVALID',
          'Cannot decrypt a stored secret: the secret key differs from the one it was sealed with (ARGUS_SECRET_KEY or <data dir>/secret.key)',
          { cause: error },
        );
      }
    },
  };
}

/**
 * The server's box: key from `configured` (ARGUS_SECRET_KEY) or the key file, checked against the
 * value recorded by the first instance that used this metadata store.
 * @throws ArgusError CONFIG_INVALID when the key does not match the one the store was used with.
 */
export async function loadSecretBox(options: {
  configured: string | undefined;
  dataDir: string;
  metadata: MetadataStore;
}): Promise<SecretBox> {
  let key: Buffer;
  let source: string;
  if (options.configured) {
    key = createHash('sha256').update(options.configured).digest();
    source = 'ARGUS_SECRET_KEY';
  } else {
    const file = path.join(options.dataDir, 'secret.key');
    if (!existsSync(file)) {
      mkdirSync(options.dataDir, { recursive: true });
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    }
    key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) {
      throw new ArgusError(
        'CONFIG_INVALID',
        `Cannot read the secret key in ${file}: expected 32 base64 bytes`,
      );
    }
    source = file;
  }
  const check = createHmac('sha256', key).update('argus secret key check').digest('hex').slice(0, 16);
  const recorded = await options.metadata.getSetting<string>('default', CHECK_SETTING);
  if (recorded === undefined) await options.metadata.setSetting('default', CHECK_SETTING, check);
  else if (recorded !== check) {
    throw new ArgusError(
      'CONFIG_INVALID',
      `The secret key from ${source} is not the one this metadata store was used with, so stored secrets (alert channels, LLM connection keys) cannot be read. Give every instance the same ARGUS_SECRET_KEY (or restore the original key file).`,
    );
  }
  return secretBox(key);
}
