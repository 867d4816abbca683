import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ConstructionProgress,
  estimateSecondsLeft,
  formatProgressDetail,
  formatRate,
} from '../../src/tasks/builtin/construction-progress.js';

/** Creates a clock in milliseconds that the test moves by hand. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let time = 1000;
  return { now: () => time, advance: (ms) => (time += ms) };
}

test('time left from fraction', () => {
  assert.equal(estimateSecondsLeft(10, 0.25), 30);
  assert.equal(estimateSecondsLeft(8, 0.5), 8);
  assert.equal(estimateSecondsLeft(5, 1), 0);
  assert.equal(estimateSecondsLeft(5, 0), undefined);
  assert.equal(estimateSecondsLeft(0, Number.NaN), undefined);
});

test('rate formatting', () => {
  assert.equal(formatRate(0), '0');
  assert.equal(formatRate(950.4), '950');
  assert.equal(formatRate(12345), '12.3k');
  assert.equal(formatRate(1_250_000), '1.25M');
});

test('progress of two files', () => {
  const clock = manualClock();
  const progress = new ConstructionProgress(4, clock.now);
  const start = progress.snapshot();
  assert.equal(start.entriesTotal, 0);
  assert.equal(start.secondsLeft, undefined);
  assert.equal(start.jetsPerSecond, undefined);

  // File 0 has 100 entries, 40 read after 2 s. Files 1 to 3 are not opened, so each
  // is estimated at the mean of the opened files: 400 entries in all.
  clock.advance(2000);
  progress.update({ file: 'a.root', fileIndex: 0, numFiles: 4, entriesDone: 40, entriesTotal: 100 });
  let snapshot = progress.snapshot();
  assert.equal(snapshot.entriesDone, 40);
  assert.equal(snapshot.entriesTotal, 400);
  assert.equal(snapshot.filesDone, 0);
  // 40 of 400 entries in 2 s: 360 entries left at 20 per second.
  assert.equal(snapshot.secondsLeft, 18);

  // File 0 ends after 4 s with 90 selected jets; file 1 (300 entries) is opened.
  clock.advance(2000);
  progress.fileDone({ file: 'a.root', fileIndex: 0, numFiles: 4, numEntries: 100, numJets: 90 });
  progress.update({ file: 'b.root', fileIndex: 1, numFiles: 4, entriesDone: 0, entriesTotal: 300 });
  snapshot = progress.snapshot();
  assert.equal(snapshot.filesDone, 1);
  assert.equal(snapshot.jetsDone, 90);
  assert.equal(snapshot.jetsPerSecond, 22.5);
  // Known 100 + 300, plus 2 unopened files at the mean of 200 each.
  assert.equal(snapshot.entriesTotal, 800);
  assert.equal(snapshot.elapsedSeconds, 4);
  assert.equal(snapshot.secondsLeft, (4 * 700) / 100);
  assert.equal(formatProgressDetail(snapshot), 'entries, files 1/4, 23 jets/s');
});

test('skipped file counts as done', () => {
  const clock = manualClock();
  const progress = new ConstructionProgress(2, clock.now);
  clock.advance(1000);
  progress.fileDone({ file: 'bad.root', fileIndex: 0, numFiles: 2, numEntries: 0, numJets: 0 });
  progress.update({ file: 'good.root', fileIndex: 1, numFiles: 2, entriesDone: 50, entriesTotal: 50 });
  progress.fileDone({ file: 'good.root', fileIndex: 1, numFiles: 2, numEntries: 50, numJets: 30 });
  const snapshot = progress.snapshot();
  assert.equal(snapshot.filesDone, 2);
  assert.equal(snapshot.entriesDone, 50);
  assert.equal(snapshot.entriesTotal, 50);
  assert.equal(snapshot.secondsLeft, 0);
  assert.equal(formatProgressDetail(snapshot), 'entries, files 2/2, 30 jets/s');
});
