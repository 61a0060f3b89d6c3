/** Offers text as a file download from the browser (a temporary object URL on a clicked link). */
export function downloadText(text: string, fileName: string, type = 'text/csv'): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
