/**
 * A Lit element that uses the app shell's API client. It asks for the client through `apiContext`
 * as it connects (the shell's provider answers before the element's first update), so no page or
 * component is handed the client as a property and none can be rendered with a different one.
 */
import { ContextConsumer } from '@lit/context';
import { LitElement } from 'lit';
import type { ApiClient } from './api-client.js';
import { apiContext } from './api-context.js';

export class ApiConsumerElement extends LitElement {
  private readonly apiConsumer = new ContextConsumer(this, { context: apiContext });

  /** The shell's one client; an element placed outside the shell fails here, by name. */
  protected get api(): ApiClient {
    const api = this.apiConsumer.value;
    if (!api) throw new Error(`<${this.localName}> needs the API client that the app shell provides (apiContext)`);
    return api;
  }
}
