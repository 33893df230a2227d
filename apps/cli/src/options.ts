/** commander collector for repeatable `--set k=v`. */
export function collectSets(value: string, previous: string[]): string[] {
  return [...previous, value];
}
