/**
 * The error answers the HTTP kit gives by itself, whatever the route: a missing or bad access token,
 * parameters or a body that fail their schema, a body too large or in an unsupported encoding, a rate
 * limit. The OpenAPI document lists them on every route they apply to, so a client (or a schema fuzzer)
 * never meets a status the document does not name; a route's own description of a status wins.
 */
import type { RouteSpec } from './route.js';

export function frameworkAnswers(route: RouteSpec): Readonly<Record<number, string>> {
  const answers: Record<number, string> = {};
  if (route.params || route.query || route.body) answers[400] = 'Invalid request: a path or query parameter, or the body, does not match its schema (or the body is not JSON)';
  if (route.auth === 'user') answers[401] = 'Not signed in: the access token is missing, invalid, expired or revoked';
  if (route.body) {
    answers[413] = 'The request body is larger than the server accepts';
    answers[415] = 'The request body\'s encoding or charset is not supported';
  }
  if (route.limit) answers[429] = 'Too many requests; try again after Retry-After seconds';
  return answers;
}
