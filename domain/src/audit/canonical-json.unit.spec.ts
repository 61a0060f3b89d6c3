import { canonicalJson, canonicalJsonWith } from './canonical-json.js';

describe('canonical JSON', () => {
  it('sorts keys by UTF-16 code units at every depth, drops undefined members and keeps array order', () => {
    const value = { b: 1, a: [3, undefined, { z: true, y: null, x: undefined }], B: 'x', é: 'e', 'a b': { d: 2.5, c: 'q"u' } };
    expect(canonicalJson(value)).toBe('{"B":"x","a":[3,null,{"y":null,"z":true}],"a b":{"c":"q\\"u","d":2.5},"b":1,"é":"e"}');
  });

  it('writes the same bytes as JSON.stringify for values whose keys are already sorted', () => {
    const sorted = { actor: 'u1', causationId: null, n: [1, 2, { k: 'v' }], schema: 1 };
    expect(canonicalJson(sorted)).toBe(JSON.stringify(sorted));
    expect([canonicalJson(null), canonicalJson(undefined), canonicalJson('s'), canonicalJson(0)]).toEqual(['null', 'null', '"s"', '0']);
  });

  it('gives the same bytes when a member\'s canonical form is handed in (the append\'s data), whatever the data', () => {
    const datas: unknown[] = [{ b: [1, { d: undefined, c: 'é' }], a: null }, [2, 'x'], 'text', 0, null, undefined, { '': 1, 'a b': { z: 1, y: 2 } }];
    for (const data of datas) {
      const envelope = { id: 'e1', type: 'T', streamId: 's', revision: 3, position: 9, data, metadata: { hash: 'h', actor: 'u', x: undefined } };
      expect(canonicalJsonWith(envelope, { data: canonicalJson(data) })).toBe(canonicalJson(envelope));
    }
  });

  it('a format 1 audit leaf\'s data is the canonical JSON of the envelope, sealed here or read back, members missing or not', async () => {
    const { sealEvent } = await import('./hash-chain.js');
    const { auditLeafData } = await import('./audit-leaf.js');
    const sealed = { ...sealEvent({ id: 'e"1', type: 'T', data: { z: [1, { b: 2, a: 'é' }] }, metadata: { actor: 'u', correlationId: 'c', causationId: null, occurredAt: 't', schema: 1 } } as never, 's', 4, 'p'), position: 12 };
    const readBack = JSON.parse(JSON.stringify(sealed));
    const envelope = (e: typeof sealed) => canonicalJson({ id: e.id, type: e.type, streamId: e.streamId, revision: e.revision, position: e.position, data: e.data, metadata: e.metadata });
    expect(auditLeafData(sealed, null)).toBe(envelope(sealed));
    expect(auditLeafData(readBack, null)).toBe(envelope(sealed));
    expect(auditLeafData({ ...readBack, data: undefined }, null)).toBe(envelope({ ...readBack, data: undefined }));
  });
});
