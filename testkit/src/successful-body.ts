/** A fixture step through the API: the answer's body when it succeeded, else an error naming the step's status and body. */
import type { ApiResponse } from './api-client.js';

export async function successfulBody(response: Promise<ApiResponse>, step = 'step'): Promise<any> {
  const { status, body } = await response;
  if (status >= 300) throw new Error(`${step} failed: ${status} ${JSON.stringify(body)}`);
  return body;
}
