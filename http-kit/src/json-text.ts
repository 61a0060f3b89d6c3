/**
 * An answer body that is JSON text already (documents as the read store holds them, joined): the
 * route layer sends it as it is instead of parsing and serialising it again.
 */
export class JsonText {
  constructor(readonly text: string) {}

  /** `{"<field>":[<items…>], …rest}` from JSON texts of the items and ordinary values for the rest. */
  static object(field: string, items: readonly string[], rest: Readonly<Record<string, unknown>> = {}): JsonText {
    const others = JSON.stringify(rest);
    return new JsonText(`{${JSON.stringify(field)}:[${items.join(',')}]${others === '{}' ? '' : `,${others.slice(1, -1)}`}}`);
  }
}
