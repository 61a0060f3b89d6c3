#!/usr/bin/env node
// The `resoft` command: runs the compiled CLI (built by `npm install` / `npm run build`).
import { main } from '../cli/dist/main.js';

await main(process.argv, process.env);
