import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CompositionError, composeSupergraph } from './compose.js';

// `pnpm compose`: rewrites the committed schema files from the code.
const outDir = fileURLToPath(new URL('..', import.meta.url));
try {
  const files = composeSupergraph();
  for (const [name, text] of Object.entries(files)) {
    await writeFile(`${outDir}${name}`, text);
    console.log(`wrote schema/${name}`);
  }
} catch (error) {
  console.error(error instanceof CompositionError ? error.message : error);
  process.exit(1);
}
