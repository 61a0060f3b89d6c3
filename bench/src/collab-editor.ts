/** One simulated editor of the collaboration benchmark, whatever system it talks to. */
export interface Editor {
  /** Inserts `token` at the start of the text, then moves the editor's cursor after it (a cursor update). */
  insertAtStart(token: string): void;
  /** Changes the editor's "typing" presence. */
  setTyping(typing: boolean): void;
  onText(listener: (text: string) => void): void;
  text(): string;
  close(): void;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
