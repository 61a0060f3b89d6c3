/** Table styles the Insights components share. */
import { css } from 'lit';

export const tableStyles = css`
  table { border-collapse: collapse; width: 100%; font-size: 0.85rem; }
  th, td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid #e6e9ef; }
  td.n { text-align: right; font-variant-numeric: tabular-nums; }
  .scroll { max-height: 22rem; overflow: auto; }
  .head { display: flex; gap: 0.75rem; align-items: center; justify-content: space-between; }
`;
