/** Resolves once `condition` answers true, asked every `intervalMs`. */
export async function until(condition: () => boolean | Promise<boolean>, intervalMs = 50): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, intervalMs));
}
