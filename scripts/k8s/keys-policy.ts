// Which overlays may run with the example's placeholders. dev may: its external API is a dummy,
// so with or without a real key /download_external_logs answers with an upstream error and the
// health check reports DEGRADED. staging and prod must not ship `replace-me` keys nor the
// placeholder URL of their external API (a host under .invalid): `just check-secrets`, `just
// render` (hence `just deploy`) and `just up` refuse them there. Key values are never printed.
import { join, relative } from 'node:path'
import { parse } from 'yaml'
import type { EnvironmentArgs } from './cli.ts'
import { envFileReport } from './env-file.ts'
import { type Environment, overlayDir } from './render.ts'

const placeholdersAllowed = (env: Environment): boolean => env === 'dev'

/** The variable of the external API's URL that staging and prod set in their overlay. */
const urlVariables: Partial<Record<Environment, string>> = {
  staging: 'EXTERNAL_API_URL_STAGING',
  prod: 'EXTERNAL_API_URL_PRODUCTION',
}

interface Generator {
  name?: string
  literals?: string[]
}

/** Prints what is wrong with the overlay's external API URL (stderr); true when it may be deployed. */
async function urlDeployable(root: string, env: Environment): Promise<boolean> {
  const variable = urlVariables[env]
  if (!variable) return true
  const path = join(overlayDir(root, env), 'kustomization.yaml')
  const shown = relative(process.cwd(), path)
  const generators: Generator[] = parse(await Bun.file(path).text())?.configMapGenerator ?? []
  const literal = generators
    .find((g) => g.name === 'backend-api-config')
    ?.literals?.find((l) => l.startsWith(`${variable}=`))
  const value = literal?.slice(variable.length + 1) ?? ''
  let host = ''
  try {
    host = new URL(value).hostname
  } catch {}
  if (literal && host && !host.endsWith('.invalid')) return true
  console.error(
    !literal
      ? `${shown}: backend-api-config sets no ${variable}: add it (the URL of ${env}'s external log API) to its literals`
      : !host
        ? `${shown}: ${variable}=${value} is not a URL: set it to ${env}'s external log API, e.g. https://logs.example.com/v1/logs`
        : `${shown}: ${variable} is still the placeholder ${value}: set it to the URL of ${env}'s external log API`,
  )
  console.error(`then run \`just check-secrets ${env}\` again`)
  return false
}

/** Prints what is wrong with the overlay's env file and URL (stderr); true when it may be deployed. */
export async function deployable(args: EnvironmentArgs): Promise<boolean> {
  const keys = await keysDeployable(args)
  return (await urlDeployable(args.root, args.env)) && keys
}

async function keysDeployable({ env, keysPath, keysFile }: EnvironmentArgs): Promise<boolean> {
  const file = Bun.file(keysPath)
  if (!(await file.exists())) {
    console.error(
      `${keysFile} does not exist: run \`just secrets ${env}\`, then put the real keys in it`,
    )
    return false
  }
  const example = await Bun.file(`${keysPath}.example`).text()
  const { placeholders, problems } = envFileReport(await file.text(), example)
  for (const problem of problems) console.error(`${keysFile}: ${problem}`)
  const refused = placeholders.length > 0 && !placeholdersAllowed(env)
  if (placeholders.length > 0) {
    const keys = placeholders.join(', ')
    console.error(
      refused
        ? `${keysFile}: ${keys} still the placeholder, and ${env} refuses placeholder keys: edit ${keysFile} and put the real key(s) there`
        : `warning: ${keysFile}: ${keys} still the placeholder: dev runs with it, but the backend's /download_external_logs answers with an upstream error and the health check reports DEGRADED; for real calls edit ${keysFile}`,
    )
  }
  if (problems.length === 0 && !refused) return true
  console.error(`fix ${keysFile}, then run \`just check-secrets ${env}\` again`)
  return false
}
