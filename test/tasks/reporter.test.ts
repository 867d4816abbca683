import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { ConsoleReporter } from '../../src/tasks/reporter.js';

/** Create a non-terminal stream that keeps what is written. */
function collectingStream(): { stream: NodeJS.WriteStream; lines: string[] } {
  const lines: string[] = [];
  const stream = { isTTY: false, write: (text: string) => lines.push(text.trimEnd()) } as unknown as NodeJS.WriteStream;
  return { stream, lines };
}

test('progress time left restarts each epoch', () => {
  let now = 1_000_000;
  mock.method(Date, 'now', () => now);
  try {
    const { stream, lines } = collectingStream();
    const reporter = new ConsoleReporter(stream);
    // Epoch 1: four batches, 3 s each.
    for (let batch = 1; batch <= 4; batch++) {
      now += 3000;
      reporter.progress('epoch', batch, 4);
    }
    // Validation takes 20 s, then epoch 2 runs at the same pace.
    now += 20_000;
    reporter.progress('epoch', 1, 4);
    now += 3000;
    reporter.progress('epoch', 2, 4);
    const last = lines.at(-1) ?? '';
    assert.match(last, /2\/4/);
    assert.match(last, /\(3s elapsed, 6s left\)/, last);
  } finally {
    mock.restoreAll();
  }
});

test('progress without a measured step shows no time left', () => {
  let now = 5_000_000;
  mock.method(Date, 'now', () => now);
  try {
    const { stream, lines } = collectingStream();
    const reporter = new ConsoleReporter(stream);
    reporter.progress('files', 0, 10);
    now += 1000;
    assert.doesNotMatch(lines.at(-1) ?? '', /left/);
  } finally {
    mock.restoreAll();
  }
});
