/** A terminal progress bar (cli-progress) that degrades to plain lines when output is not a terminal. */
import cliProgress from 'cli-progress';

export interface ProgressBar {
  update(value: number, total: number): void;
  stop(): void;
}

export function progressBar(label: string, out: NodeJS.WriteStream = process.stderr, unit = 'events'): ProgressBar {
  if (!out.isTTY) {
    let lastPercent = -1;
    return {
      update(value, total) {
        const percent = total ? Math.floor((value / total) * 100) : 100;
        if (percent >= lastPercent + 25 || (percent === 100 && lastPercent !== 100)) {
          lastPercent = percent;
          out.write(`${label}: ${value}/${total} ${unit} (${percent}%)\n`);
        }
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar({ format: `${label.padEnd(18)} [{bar}] {percentage}% | {value}/{total} ${unit}`, stream: out }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(value, total) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.setTotal(total);
      bar.update(value);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
