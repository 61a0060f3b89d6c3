/**
 * Reads an audit bundle (a zip of STORED or DEFLATE entries, see
 * docs/audit.md) into its parts, checking each entry's CRC-32.
 */
import { crc32, inflateRawSync } from 'node:zlib';
import type { AuditPublicKey, RecordedEvent, SignedTreeHead } from '@resoft/domain';

export interface AuditBundle {
  readonly manifest: { readonly format: string; readonly projectId: string; readonly treeSize: number; readonly events: number; readonly streams: readonly { streamId: string; events: number }[] };
  readonly events: RecordedEvent[];
  readonly proofs: { position: number; leafIndex: number; proof: string[] }[];
  readonly treeHead: SignedTreeHead;
  readonly keys: AuditPublicKey[];
}

export function unzip(archive: Buffer): Map<string, Buffer> {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip archive (no end of central directory)');
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i += 1) {
    if (archive.readUInt32LE(at) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = archive.readUInt16LE(at + 10);
    const crc = archive.readUInt32LE(at + 16);
    const packedSize = archive.readUInt32LE(at + 20);
    const size = archive.readUInt32LE(at + 24);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const local = archive.readUInt32LE(at + 42);
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataStart = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const packed = archive.subarray(dataStart, dataStart + packedSize);
    const data = method === 0 ? packed : method === 8 ? inflateRawSync(packed) : null;
    if (!data) throw new Error(`${name}: unsupported compression method ${method}`);
    if (data.length !== size || crc32(data) !== crc) throw new Error(`${name}: damaged (size or CRC-32 does not match)`);
    files.set(name, data);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

const jsonLines = <T>(text: string): T[] => text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as T);

export function readAuditBundle(archive: Buffer): AuditBundle {
  const files = unzip(archive);
  const text = (name: string) => {
    const file = files.get(name);
    if (!file) throw new Error(`the bundle has no ${name}`);
    return file.toString('utf8');
  };
  return {
    manifest: JSON.parse(text('manifest.json')),
    events: jsonLines<RecordedEvent>(text('events.jsonl')),
    proofs: jsonLines(text('proofs.jsonl')),
    treeHead: JSON.parse(text('tree-head.json')),
    keys: (JSON.parse(text('keys.json')) as { keys: AuditPublicKey[] }).keys,
  };
}
