/**
 * The JSON request body reader: body-parser's `express.json` (limit, `strict: false`, JSON media
 * types), with a shorter way for the common case (issue 19: body-parser's stream machinery was ~4 %
 * of the mixed workload's CPU). A body of a stated length within the limit, sent as plain
 * `application/json` (UTF-8) without a content encoding, is read and parsed here; any other request
 * goes to body-parser as before, so its 400, 413 and 415 answers (too large, an unsupported charset or
 * encoding, a length that does not match) are the same.
 */
import express, { type RequestHandler } from 'express';

/** The Content-Type values read here; any other (with its charset, `+json` types …) goes to body-parser. */
const PLAIN_JSON = new Set(['application/json', 'application/json; charset=utf-8', 'application/json;charset=utf-8']);
const DIGITS = /^\d+$/;
const BYTE_ORDER_MARK = '\uFEFF';

/** Shaped like body-parser's errors, so toHttpError maps them to the same answers. */
const parserError = (type: 'entity.parse.failed' | 'request.aborted', message: string): Error & { type: string; status: number } =>
  Object.assign(new Error(message), { type, status: 400 });

/** What body-parser's parse with `strict: false` gives: `{}` for an empty body, else JSON.parse of the text without a byte order mark. */
function parseJson(text: string): unknown {
  const json = text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
  return json.length === 0 ? {} : JSON.parse(json);
}

export function jsonBodyReader(limitBytes: number): RequestHandler {
  const bodyParser = express.json({ limit: limitBytes, strict: false, type: ['application/json', 'application/*+json'] });
  return (req, res, next) => {
    const headers = req.headers;
    // No body (GET, DELETE …): what body-parser would leave.
    if (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined) {
      if (!('body' in (req as object))) req.body = undefined;
      return next();
    }
    const length = headers['content-length'];
    const type = headers['content-type'];
    if (
      length === undefined || !DIGITS.test(length) || Number(length) === 0 || Number(length) > limitBytes ||
      type === undefined || !PLAIN_JSON.has(type.toLowerCase()) ||
      headers['content-encoding'] !== undefined || headers['transfer-encoding'] !== undefined
    ) {
      return bodyParser(req, res, next);
    }
    const chunks: Buffer[] = [];
    let done = false;
    req.on('data', (chunk: Buffer) => void chunks.push(chunk));
    req.once('end', () => {
      done = true;
      // Node's parser hands over exactly Content-Length bytes before 'end'.
      const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
      try {
        req.body = parseJson(text);
      } catch (error) {
        return next(parserError('entity.parse.failed', (error as Error).message));
      }
      next();
    });
    const aborted = (): void => {
      if (done) return;
      done = true;
      next(parserError('request.aborted', 'request aborted'));
    };
    req.once('error', aborted);
    req.once('close', aborted);
  };
}
