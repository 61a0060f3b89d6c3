/**
 * The API client as a Lit context: the app shell provides its one client, and a page or component
 * below it asks for it (`ContextConsumer`) instead of having it passed down as a property.
 */
import { createContext } from '@lit/context';
import type { ApiClient } from './api-client.js';

export const apiContext = createContext<ApiClient>(Symbol('resoft-api-client'));
