import type { TestPlatform } from './test-platform.js';

/** How many SQL statements the two subgraphs ran, together, while `work` ran. */
export async function statementsDuring(platform: TestPlatform, work: () => Promise<void>): Promise<number> {
  const count = () => platform.pmsDatabase.statements.count + platform.ehrDatabase.statements.count;
  const before = count();
  await work();
  return count() - before;
}
