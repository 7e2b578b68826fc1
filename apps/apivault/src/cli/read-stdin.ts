/** Reads all of stdin: secrets come in this way so they never appear in `ps` or shell history. */
export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new Error('expected the secret as JSON on stdin, e.g. `apivault credentials set NAME < secret.json`');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
