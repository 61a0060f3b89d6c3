import { canonicalJson } from './canonical-json.js';

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
});
