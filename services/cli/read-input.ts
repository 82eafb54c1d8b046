import { readFile } from 'node:fs/promises'
import { buffer } from 'node:stream/consumers'
import { UsageError } from './args.js'

/**
 * The bytes of `--file PATH`, or of standard input for `-`. A path that cannot be read is
 * refused with one plain line (exit status 1).
 */
export async function readInputFile(
  path: string,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<Buffer> {
  if (path === '-') return buffer(stdin)
  try {
    return await readFile(path)
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${whyUnreadable(error as NodeJS.ErrnoException)}`, 1)
  }
}

function whyUnreadable(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'no such file'
    case 'EISDIR':
      return 'it is a directory, not a file'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'ENOTDIR':
      return 'part of the path is not a directory'
    default:
      return error.message.split('\n')[0] ?? String(error.code)
  }
}
