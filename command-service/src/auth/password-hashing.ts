/** Passwords are hashed with scrypt (memory-hard, in Node's crypto): `scrypt$N$r$p$salt$hash`. */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

const memoryFor = (N: number, r: number): number => 256 * N * r;

export class PasswordHasher {
  /** `cost` is scrypt's N (a power of two). */
  constructor(private readonly cost: number) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const r = 8;
    const p = 1;
    const key = await derive(password, salt, { N: this.cost, r, p, maxmem: memoryFor(this.cost, r) });
    return ['scrypt', this.cost, r, p, salt.toString('base64'), key.toString('base64')].join('$');
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, n, r, p, salt, key] = stored.split('$');
    if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
    const N = Number(n);
    const R = Number(r);
    const expected = Buffer.from(key, 'base64');
    const actual = await derive(password, Buffer.from(salt, 'base64'), { N, r: R, p: Number(p), maxmem: memoryFor(N, R) });
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }
}
