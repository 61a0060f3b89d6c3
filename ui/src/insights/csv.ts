/** RFC 4180 CSV (CRLF, a header row, cells quoted when they hold a comma, quote or line break), for downloads made in the browser. */
type Cell = string | number | boolean | null | undefined;

const cell = (value: Cell): string => {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export function toCsv(columns: readonly string[], rows: readonly Readonly<Record<string, Cell>>[]): string {
  return [columns, ...rows.map((row) => columns.map((c) => row[c]))].map((line) => line.map(cell).join(',')).join('\r\n') + '\r\n';
}
