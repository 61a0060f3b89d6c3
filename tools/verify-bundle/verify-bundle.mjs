#!/usr/bin/env node
// Resoft audit bundle verifier: checks a bundle offline with Node's built-ins only
// (no dependency on the Resoft code base or on npm). The algorithm is described in
// docs/audit.md; this file is meant to be read by an auditor in one sitting.
//
//   node verify-bundle.mjs bundle.zip [--keys trusted-jwks.json] [--json]
//
// Exit code 0: everything verifies; 1: the bundle does not verify (the first bad
// position is printed); 2: the bundle cannot be read or the arguments are wrong.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

const GENESIS_HASH = '0'.repeat(64);
const sha256 = (...parts) => { const h = createHash('sha256'); for (const p of parts) h.update(p); return h.digest(); };

// ---- zip (STORED or DEFLATE entries, CRC-32 checked) ----
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
function crc32(bytes) { let c = 0xffffffff; for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; }

function unzip(archive) {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip archive');
  const files = new Map();
  let at = archive.readUInt32LE(end + 16);
  for (let i = 0, count = archive.readUInt16LE(end + 10); i < count; i += 1) {
    if (archive.readUInt32LE(at) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = archive.readUInt16LE(at + 10), crc = archive.readUInt32LE(at + 16);
    const packedSize = archive.readUInt32LE(at + 20), size = archive.readUInt32LE(at + 24);
    const nameLength = archive.readUInt16LE(at + 28), extraLength = archive.readUInt16LE(at + 30), commentLength = archive.readUInt16LE(at + 32);
    const local = archive.readUInt32LE(at + 42);
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const start = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const packed = archive.subarray(start, start + packedSize);
    const data = method === 0 ? packed : method === 8 ? inflateRawSync(packed) : null;
    if (!data) throw new Error(`${name}: unsupported compression method ${method}`);
    if (data.length !== size || crc32(data) !== crc) throw new Error(`${name}: damaged (size or CRC-32 mismatch)`);
    files.set(name, data.toString('utf8'));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

// ---- canonical JSON: sorted keys, no whitespace, undefined members left out ----
function canonicalJson(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
}

// ---- the stream hash chain: hash = SHA-256(canonical JSON of id, type, streamId, revision, data, metadata without hash) ----
function eventHash(e) {
  const { hash: _hash, ...metadata } = e.metadata;
  return sha256(canonicalJson({ id: e.id, type: e.type, streamId: e.streamId, revision: e.revision, data: e.data, metadata })).toString('hex');
}

// ---- RFC 9162: leaf = SHA-256(0x00 || leaf data), node = SHA-256(0x01 || left || right) ----
// Leaf data, format 1: canonical JSON of the whole envelope. Format 2 (positions from the tree head's
// leafV2From on): canonical JSON of { hash, position, v: 2 } — it stands for the envelope only because
// the chain check above recomputes `hash` from the envelope, so that check must pass first.
const leafData = (e, leafV2From) => (leafV2From != null && e.position >= leafV2From
  ? canonicalJson({ hash: e.metadata.hash, position: e.position, v: 2 })
  : canonicalJson({ id: e.id, type: e.type, streamId: e.streamId, revision: e.revision, position: e.position, data: e.data, metadata: e.metadata }));
const leafHash = (e, leafV2From) => sha256(Buffer.from([0]), leafData(e, leafV2From));
const nodeHash = (l, r) => sha256(Buffer.from([1]), l, r);

/** RFC 9162 §2.1.3.2, step by step. */
function verifyInclusion(leaf, index, treeSize, proof, root) {
  if (!(index >= 0 && index < treeSize)) return false;
  let fn = index, sn = treeSize - 1, r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

// ---- the signed tree head: Ed25519 over these lines, joined by \n (v2: leafV2From as a seventh line) ----
function treeHeadProblem(head, keys) {
  const jwk = keys.find((k) => k.kid === head.keyId);
  if (!jwk) return `tree head signed with key ${head.keyId}, which is not a trusted key`;
  const lines = [head.treeSize, head.lastPosition, head.rootHash, head.timestamp, head.keyId];
  const message = Buffer.from((head.leafV2From == null ? ['resoft-tree-head/v1', ...lines] : ['resoft-tree-head/v2', ...lines, head.leafV2From]).join('\n'), 'utf8');
  try {
    const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' });
    return verify(null, message, key, Buffer.from(head.signature, 'base64')) ? null : 'the tree head signature does not verify';
  } catch {
    return 'the tree head signature or key is malformed';
  }
}

function verifyBundle(files, trustedKeys) {
  const need = (name) => { if (!files.has(name)) throw new Error(`the bundle has no ${name}`); return files.get(name); };
  const lines = (text) => text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
  const manifest = JSON.parse(need('manifest.json'));
  const events = lines(need('events.jsonl'));
  const proofs = new Map(lines(need('proofs.jsonl')).map((p) => [p.position, p]));
  const head = JSON.parse(need('tree-head.json'));
  const keys = trustedKeys ?? JSON.parse(need('keys.json')).keys;
  // v1: the tree head names no leaf format (all format 1); v2: it signs leafV2From.
  if (manifest.format !== (head.leafV2From == null ? 'resoft-audit-bundle/v1' : 'resoft-audit-bundle/v2')) throw new Error(`unknown bundle format ${manifest.format}, or not the one of its tree head`);

  let problem = null;
  const note = (position, reason) => { if (!problem || position < problem.position) problem = { position, reason }; };
  const signature = treeHeadProblem(head, keys);
  if (signature) note(1, signature);
  if (events.length !== manifest.events) note(0, `the manifest lists ${manifest.events} events, the bundle holds ${events.length}`);

  const root = Buffer.from(head.rootHash, 'hex');
  const streams = new Map(); // streamId -> { revision, hash } of the last event seen
  let lastPosition = 0, lastIndex = -1;
  for (const e of events) {
    if (e.position <= lastPosition) note(e.position, `event at position ${e.position} is out of log order`);
    lastPosition = e.position;
    // Chain: revisions count from 0 without gaps, each prevHash is the previous event's hash, each hash matches the content.
    const prev = streams.get(e.streamId);
    const expectedRevision = prev ? prev.revision + 1 : 0;
    if (e.revision !== expectedRevision) note(e.position, `stream ${e.streamId}: revision ${e.revision} where ${expectedRevision} was expected`);
    else if (e.metadata.prevHash !== (prev ? prev.hash : GENESIS_HASH)) note(e.position, `stream ${e.streamId} revision ${e.revision}: prevHash does not match the previous event`);
    else if (eventHash(e) !== e.metadata.hash) note(e.position, `stream ${e.streamId} revision ${e.revision}: content does not match its hash`);
    streams.set(e.streamId, { revision: e.revision, hash: e.metadata.hash });
    // Inclusion: the event's leaf, at its index, leads to the signed root.
    const p = proofs.get(e.position);
    if (!p) note(e.position, `event at position ${e.position} has no inclusion proof`);
    else if (p.leafIndex <= lastIndex || e.position > head.lastPosition || !verifyInclusion(leafHash(e, head.leafV2From), p.leafIndex, head.treeSize, p.proof.map((h) => Buffer.from(h, 'hex')), root)) {
      note(e.position, `event at position ${e.position} is not in the signed tree of size ${head.treeSize}`);
    }
    if (p) lastIndex = p.leafIndex;
  }
  return { ok: problem === null, projectId: manifest.projectId, events: events.length, streams: streams.size, treeSize: head.treeSize, keyId: head.keyId, firstProblem: problem };
}

function main(argv) {
  const args = argv.slice(2);
  const json = args.includes('--json');
  const keysAt = args.indexOf('--keys');
  const keysFile = keysAt >= 0 ? args[keysAt + 1] : undefined;
  const file = args.find((a, i) => !a.startsWith('--') && (keysAt < 0 || i !== keysAt + 1));
  if (!file || (keysAt >= 0 && !keysFile)) {
    process.stderr.write('usage: node verify-bundle.mjs bundle.zip [--keys trusted-jwks.json] [--json]\n');
    return 2;
  }
  let report;
  try {
    const trusted = keysFile ? JSON.parse(readFileSync(keysFile, 'utf8')).keys : undefined;
    report = verifyBundle(unzip(readFileSync(file)), trusted);
  } catch (error) {
    process.stderr.write(`verify-bundle: ${error.message}\n`);
    return 2;
  }
  if (json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else if (report.ok) process.stdout.write(`OK: project ${report.projectId}: ${report.events} events in ${report.streams} streams, all chains intact, all included in the tree of size ${report.treeSize} signed by ${report.keyId}\n`);
  else process.stdout.write(`FAILED: project ${report.projectId}: first bad position ${report.firstProblem.position}: ${report.firstProblem.reason}\n`);
  return report.ok ? 0 : 1;
}

process.exitCode = main(process.argv);
