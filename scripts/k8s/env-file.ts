// Checks an overlay's integration-keys.env against its committed example. kustomize reads the file
// verbatim, while dotenv (and most people's expectations) strip quotes, comments and `export `:
// each difference would silently become part of a key or a key name. Values are never printed.
import { parse } from 'dotenv'

const placeholder = /^(replace-me|change-?me|todo|x{3,}|<.*>|\.\.\.)$/i
const keyName = /^[A-Za-z_][A-Za-z0-9_]*$/

function lineProblems(text: string): string[] {
  const problems: string[] = []
  const seen = new Set<string>()
  text.split(/\r?\n/).forEach((line, index) => {
    const at = `line ${index + 1}`
    if (line.trim() === '' || line.trimStart().startsWith('#')) return
    if (/^\s*export\s/.test(line)) {
      problems.push(
        `${at}: remove the "export " prefix (kustomize would name the key "export ...")`,
      )
      return
    }
    const eq = line.indexOf('=')
    if (eq < 0) {
      problems.push(
        `${at}: not KEY=value: kustomize cannot read it; write KEY=value or start it with #`,
      )
      return
    }
    const key = line.slice(0, eq)
    const value = line.slice(eq + 1)
    if (key !== key.trim() || /^\s/.test(value)) {
      problems.push(`${at}: remove the spaces around "=" (kustomize keeps them)`)
    }
    const name = key.trim()
    if (!keyName.test(name)) problems.push(`${at}: "${name}" is not a valid variable name`)
    if (seen.has(name)) problems.push(`${at}: ${name} appears twice: keep one`)
    seen.add(name)
    if (/^\s*["'`]/.test(value)) {
      problems.push(`${at} (${name}): remove the quotes: kustomize keeps them as part of the key`)
    } else if (/(^|\s)#/.test(value)) {
      problems.push(
        `${at} (${name}): put the comment on its own line: kustomize keeps it as part of the key`,
      )
    } else if (/\s$/.test(value)) {
      problems.push(`${at} (${name}): remove the trailing spaces: kustomize keeps them`)
    }
  })
  return problems
}

export interface EnvFileReport {
  /** Keys of the example still holding a placeholder (or empty). */
  placeholders: string[]
  /** Everything else that is wrong, each with what to do. */
  problems: string[]
}

/** What is wrong with `text` as the env file whose example is `example`. */
export function envFileReport(text: string, example: string): EnvFileReport {
  const expected = parse(example)
  const actual = parse(text)
  const problems = lineProblems(text)
  const placeholders: string[] = []
  for (const key of Object.keys(expected)) {
    const value = actual[key]
    if (value === undefined) {
      problems.push(`${key} is missing: add a line ${key}=<the key> as in the example`)
    } else if (value === '' || value === expected[key] || placeholder.test(value)) {
      placeholders.push(key)
    }
  }
  for (const key of Object.keys(actual).filter((k) => !(k in expected))) {
    problems.push(
      `${key} is not in the example: remove it, or add it to the example if the backend reads it`,
    )
  }
  return { placeholders, problems }
}

/** Everything wrong with `text` as the env file whose example is `example`; empty when fine. */
export function envFileProblems(text: string, example: string): string[] {
  const { placeholders, problems } = envFileReport(text, example)
  return [
    ...problems,
    ...placeholders.map((key) => `${key} is still a placeholder: replace it with the real key`),
  ]
}

/** Every key an example declares. */
export const exampleKeys = (example: string): string[] => Object.keys(parse(example))
