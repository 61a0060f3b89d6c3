/**
 * An answer body that is JSON text already (documents as the read store holds them, joined): the
 * route layer sends it as it is instead of parsing and serialising it again.
 */
export class JsonText {
  #bytes: Buffer | undefined;

  constructor(readonly text: string) {}

  /**
   * The text's UTF-8 bytes, encoded on first use and kept: an answer kept across requests (see the
   * query service's AnswersPerChange) is encoded once, and goes to the socket as it is, beside the
   * header, instead of being joined to the header and encoded again on every request.
   */
  get bytes(): Buffer {
    return (this.#bytes ??= Buffer.from(this.text, 'utf8'));
  }

  /** `{"<field>":[<items…>], …rest}` from JSON texts of the items and ordinary values for the rest. */
  static object(field: string, items: readonly string[], rest: Readonly<Record<string, unknown>> = {}): JsonText {
    const others = JSON.stringify(rest);
    return new JsonText(`{${JSON.stringify(field)}:[${items.join(',')}]${others === '{}' ? '' : `,${others.slice(1, -1)}`}}`);
  }
}
