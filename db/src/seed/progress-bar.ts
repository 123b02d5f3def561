import type { WriteStream } from 'node:tty';

/**
 * A progress bar on stderr. On a terminal it redraws one line; elsewhere (CI logs) it prints a line
 * at every tenth of the way, so logs stay short.
 */
export class ProgressBar {
  readonly #total: number;
  readonly #label: string;
  readonly #out: NodeJS.WriteStream | WriteStream;
  readonly #startedAt = Date.now();
  #lastDecile = -1;

  constructor(label: string, total: number, out: NodeJS.WriteStream = process.stderr) {
    this.#label = label;
    this.#total = Math.max(total, 1);
    this.#out = out;
  }

  update(done: number): void {
    const ratio = Math.min(done / this.#total, 1);
    const seconds = ((Date.now() - this.#startedAt) / 1000).toFixed(1);
    if (this.#out.isTTY) {
      const width = 30;
      const filled = Math.round(ratio * width);
      const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
      this.#out.write(`\r${this.#label} [${bar}] ${(ratio * 100).toFixed(0).padStart(3)}% ${done}/${this.#total} ${seconds}s`);
      if (done >= this.#total) this.#out.write('\n');
      return;
    }
    const decile = Math.floor(ratio * 10);
    if (decile > this.#lastDecile) {
      this.#lastDecile = decile;
      this.#out.write(`${this.#label}: ${decile * 10}% (${done}/${this.#total}, ${seconds}s)\n`);
    }
  }
}
