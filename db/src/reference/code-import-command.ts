import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { openCommandDatabase } from '../command-database.js';
import { migrateAll } from '../migrator.js';
import { ProgressBar } from '../seed/progress-bar.js';
import type { CodeSystem, EhrCodingTables } from '../tables/ehr-coding.tables.js';
import { importReferenceCodes } from './code-import.js';
import { ReleaseFormatError, detectFormat, parseRelease, type ReleaseFormat } from './code-release-parser.js';

const USAGE = 'usage: pnpm codes:import -- --system icd10cm|hcpcs --file PATH [--format icd10cm-codes|icd10cm-order|hcpcs-anweb|tsv]';
const SYSTEMS: readonly CodeSystem[] = ['icd10cm', 'hcpcs'];
const FORMATS: readonly ReleaseFormat[] = ['icd10cm-codes', 'icd10cm-order', 'hcpcs-anweb', 'tsv'];

class UsageError extends Error {}

// `pnpm codes:import`: loads a full CMS release file (ICD-10-CM or HCPCS) into the reference set the
// EHR validates documented codes against. The file is read, parsed and checked before anything is written.
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const { values } = parseArgs({
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: { system: { type: 'string' }, file: { type: 'string' }, format: { type: 'string' } },
  });
  const system = values.system as CodeSystem | undefined;
  if (!system || !SYSTEMS.includes(system)) throw new UsageError(`--system must be icd10cm or hcpcs\n${USAGE}`);
  if (!values.file) throw new UsageError(`--file is required\n${USAGE}`);
  if (values.format !== undefined && !FORMATS.includes(values.format as ReleaseFormat))
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  const lines = (await readFile(values.file, 'latin1')).split('\n');
  const format = (values.format as ReleaseFormat | undefined) ?? detectFormat(system, lines.slice(0, 20));
  const codes = parseRelease(system, format, lines);
  if (codes.length === 0) throw new UsageError('The file holds no codes');
  const { db, close, where } = await openCommandDatabase<EhrCodingTables>('chartbridge-codes-import');
  try {
    await migrateAll(db);
    const bar = new ProgressBar(`${system} codes`, codes.length);
    const written = await importReferenceCodes(db, system, codes, (done) => bar.update(done));
    console.log(`imported ${written} ${system} codes (${format}) into ${where}`);
  } finally {
    await close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof ReleaseFormatError) console.error(error.message);
  else console.error('codes:import failed:', error instanceof Error ? error.message : 'unknown error');
  process.exit(1);
});
