/**
 * What this worker writes to stdout and stderr (the Powertools logger of handlers run in-process),
 * kept instead of printed until `restore()`. `lines()` gives the JSON log lines parsed.
 */
export function captureOutput() {
  const written: string[] = [];
  const restores: (() => void)[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      done?.();
      return true;
    }) as typeof stream.write;
    restores.push(() => {
      stream.write = write;
    });
  }
  return {
    text: () => written.join(''),
    lines: (): Record<string, unknown>[] =>
      written
        .join('')
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
    restore: () => {
      for (const r of restores) r();
    },
  };
}
