/**
 * A route is declared once with its zod schemas; the same declaration mounts
 * the Express handler (with validation and authentication) and feeds the
 * OpenAPI document, so the two cannot drift.
 */
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { AuthenticatedUser, Logger, OpenSpan } from '@resoft/infra';

export type HttpMethod = 'get' | 'post' | 'patch' | 'put' | 'delete';

export interface RouteContext<P, Q, B, U> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly user: U;
  readonly requestId: string;
  readonly log: Logger;
  readonly req: Request;
  readonly res: Response;
  /** The request's server span, the parent to hand on to work the handler starts (tracing); absent outside createHttpApp. */
  readonly span?: OpenSpan;
}

export interface RouteResult {
  readonly status?: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

type Schema = z.ZodType;

export interface DocumentedResponse {
  readonly description: string;
  /** The JSON body's schema (contracts/), published as `application/json`; absent for answers without a JSON body. */
  readonly body?: z.ZodType;
  /**
   * The media types of a non-JSON answer (CSV, NDJSON, zip, Parquet, Markdown, event streams), e.g.
   * `'text/csv'`; an answer that picks its format by `?format=` lists each, beside `body` for its JSON.
   * Published as a text or binary string (see `bodyEncoding`); the check compares the answer's Content-Type.
   */
  readonly contentType?: string | readonly string[];
}

const JSON_MEDIA_TYPE = 'application/json';

/** The description of a documented answer, whichever way it was declared. */
export const responseDescription = (response: string | DocumentedResponse): string => (typeof response === 'string' ? response : response.description);

/** The declared schema of an answer's JSON body, if any. */
export const responseBodySchema = (response: string | DocumentedResponse | undefined): z.ZodType | undefined => (typeof response === 'object' ? response.body : undefined);

/** Every media type an answer may come as: `application/json` when it has a body schema, then the declared others. */
export function responseMediaTypes(response: string | DocumentedResponse | undefined): string[] {
  if (typeof response !== 'object') return [];
  const others = response.contentType === undefined ? [] : typeof response.contentType === 'string' ? [response.contentType] : [...response.contentType];
  return [...(response.body ? [JSON_MEDIA_TYPE] : []), ...others];
}

/** Text media types are published as strings, the rest (zip, Parquet) as bytes. */
export const bodyEncoding = (mediaType: string): 'text' | 'binary' =>
  /^text\/|\+json$|^application\/(x-ndjson|json)$/.test(mediaType) ? 'text' : 'binary';

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSpec<PS extends Schema | undefined = Schema | undefined, QS extends Schema | undefined = Schema | undefined, BS extends Schema | undefined = Schema | undefined, A extends 'user' | 'none' = 'user' | 'none'> {
  readonly method: HttpMethod;
  /** Express-style path, e.g. `/api/projects/:projectId`. */
  readonly path: string;
  readonly summary: string;
  readonly tags: readonly string[];
  readonly auth: A;
  readonly params?: PS;
  readonly query?: QS;
  readonly body?: BS;
  /**
   * Documented answers, status → description, or description with the schema of the JSON body and/or
   * the non-JSON media types of a success answer (every success answer declares one or the other:
   * published in the OpenAPI document; with `RESOFT_VALIDATE_RESPONSES` every answer is checked
   * against it). Error answers (4xx, 5xx) always carry the shared `ErrorBody`.
   */
  readonly responses: Readonly<Record<number, string | DocumentedResponse>>;
  /** Applies before validation; throw an HttpError (429) to refuse. */
  readonly limit?: (req: Request) => void | Promise<void>;
  /**
   * Read-your-writes (e.g. wait for the position the client sent as `?after=`), applied by the mount
   * after validation and before the guard, so a membership the client has just been granted is seen.
   */
  readonly consistency?: RouteStep<RouteContext<Out<PS>, Out<QS>, Out<BS>, A extends 'user' ? AuthenticatedUser : null>>;
  /** Who may call the route, applied by the mount before the handler: throws an HttpError (401, 403, 404) to refuse. */
  readonly guard?: RouteStep<RouteContext<Out<PS>, Out<QS>, Out<BS>, A extends 'user' ? AuthenticatedUser : null>>;
  readonly handler: (ctx: RouteContext<Out<PS>, Out<QS>, Out<BS>, A extends 'user' ? AuthenticatedUser : null>) => Promise<RouteResult>;
}

/**
 * A step the mount runs before a route's handler (a `consistency` wait or a `guard`). The services
 * provide them (they need the read store); infra only knows when to run them.
 */
export type RouteStep<C> = (ctx: C) => Promise<void>;

/** Declares a route with inference of params, query, body and user types. */
export function defineRoute<PS extends Schema | undefined = undefined, QS extends Schema | undefined = undefined, BS extends Schema | undefined = undefined, A extends 'user' | 'none' = 'user'>(
  spec: RouteSpec<PS, QS, BS, A>,
): RouteSpec {
  return spec as unknown as RouteSpec;
}
