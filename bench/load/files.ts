// What a log directory holds after a burst: visible log entries, and how many of them are whole.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'

/** Temp files of an atomic writer are hidden (dot) or end in .tmp; they are not log entries. */
export const isTempName = (name: string) => name.startsWith('.') || name.endsWith('.tmp')

/** A file is whole when a JSON one parses and a text one ends with its newline. */
export function isComplete(text: string): boolean {
  if (text.length === 0) return false
  if (!text.trimStart().startsWith('{')) return text.endsWith('\n')
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

export type DirCount = { files: number; complete: number; temp: number; names: string[] }

export async function countLogFiles(dir: string): Promise<DirCount> {
  const entries = await readdir(dir, { withFileTypes: true })
  const names = entries.filter((e) => e.isFile() && !isTempName(e.name)).map((e) => e.name)
  const texts = await Promise.all(names.map((n) => readFile(join(dir, n), 'utf8')))
  return {
    files: names.length,
    complete: texts.filter(isComplete).length,
    temp: entries.filter((e) => isTempName(e.name)).length,
    names,
  }
}
