import type { z } from 'zod';

/**
 * Parses a deployable's environment with its zod schema. On any problem it prints every issue (names
 * only, never values: they may be secrets) and exits 1, so a misconfigured process never starts.
 */
export function parseEnvironment<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv, service: string): Readonly<z.infer<S>> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`${service} config: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    process.exit(1);
  }
  return Object.freeze(parsed.data);
}
