/** The interactive API docs page: Swagger UI (from the swagger-ui-dist package) reading /api/openapi.json. */
import { createRequire } from 'node:module';
import path from 'node:path';
import express from 'express';

const require = createRequire(import.meta.url);

/** `basePath` is where the router is mounted, e.g. `/api/docs`. */
export function docsRouter(basePath: string, specUrl: string): express.Router {
  const assets = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  const router = express.Router();
  router.get('/', (_req, res) => {
    res.type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Resoft API</title>
<link rel="stylesheet" href="${basePath}/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="${basePath}/swagger-ui-bundle.js"></script>
<script src="${basePath}/init.js"></script></body></html>`);
  });
  router.get('/init.js', (_req, res) => {
    res.type('application/javascript').send(`window.ui = SwaggerUIBundle({ url: ${JSON.stringify(specUrl)}, dom_id: '#swagger-ui', persistAuthorization: true });`);
  });
  router.use(express.static(assets, { index: false }));
  return router;
}
