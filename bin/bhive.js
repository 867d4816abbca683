#!/usr/bin/env node
// Entry point of the `bhive` command. The TypeScript sources compile to dist/ (npm run build,
// which `npm ci` and `npm install` run through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('error: bhive is not built yet (dist/src/cli/main.js is missing); run `npm run build` in the bhive folder\n');
  process.exit(2);
}
// A closed pipe (`bhive ... | head`) ends the output quietly instead of with a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { runCli } = await import(main.href);
process.exitCode = await runCli(process.argv.slice(2));
