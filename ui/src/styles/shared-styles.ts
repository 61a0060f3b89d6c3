/** Styles every component shares: form controls, buttons, cards and the colour tokens. */
import { css } from 'lit';

export const sharedStyles = css`
  :host {
    box-sizing: border-box;
    font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    color: #1d2433;
  }
  *, *::before, *::after { box-sizing: inherit; }
  h1, h2, h3 { margin: 0 0 0.75rem; line-height: 1.2; }
  h1 { font-size: 1.5rem; }
  h2 { font-size: 1.15rem; }
  h3 { font-size: 1rem; }
  label { display: block; font-size: 0.875rem; font-weight: 600; margin: 0.5rem 0 0.25rem; }
  input, select, textarea {
    font: inherit; width: 100%; padding: 0.5rem 0.6rem; border: 1px solid #b9c1d0; border-radius: 6px; background: #fff; color: inherit;
  }
  input:focus-visible, select:focus-visible, textarea:focus-visible, button:focus-visible, a:focus-visible {
    outline: 3px solid #7aa7ff; outline-offset: 1px;
  }
  button {
    font: inherit; cursor: pointer; border: 1px solid #2f5bd3; background: #2f5bd3; color: #fff; border-radius: 6px; padding: 0.45rem 0.9rem;
  }
  button.secondary { background: #fff; color: #2f5bd3; }
  button.link { background: none; border: none; color: #2f5bd3; padding: 0; text-decoration: underline; }
  button:disabled { opacity: 0.55; cursor: default; }
  a { color: #2f5bd3; }
  .card { background: #fff; border: 1px solid #dde2ea; border-radius: 10px; padding: 1rem; }
  .error { color: #b3261e; font-size: 0.875rem; margin: 0.35rem 0; }
  .muted { color: #5d6677; font-size: 0.875rem; }
  .row { display: flex; gap: 0.5rem; align-items: end; flex-wrap: wrap; }
  .row > * { flex: 1 1 8rem; }
  .row > button { flex: 0 0 auto; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
